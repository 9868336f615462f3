/**
 * Lineage in the report: every figure whose start or stop event is recorded in Salesforce or crosses
 * the connector carries its crossing flag, route and lag (speed-to-lead, acceptance, SAL/SQL, attempts,
 * Won), and report.json, the CLI summary, the CSV, the Markdown and the HTML all say the same.
 *
 * The expectations are written here from where each event happens, not from mappings/lineage.ts: the
 * first attempt is a Salesforce Task and acceptance follows the SAL definition's Salesforce fields,
 * both stamped by the bridge from its watcher (polling every 30 s by default: 0.5 min); Tasks and
 * mapped Salesforce fields cross the connector (its cycle, read from the contract file as written);
 * Won is read by the handoff's daily opportunity check (1440 min).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { HUBSPOT_PROPERTIES as HS } from '../mappings/crm';
import { loadContract, PRESETS, presetPath } from '../mappings/load';
import type { LeadFacts } from '../mappings/metrics';
import { buildSlaReport, type ReconcileReport } from '../mappings/metrics';
import { renderCommitmentsCsv } from '../worker/report/csv';
import { renderHtml } from '../worker/report/html';
import { renderMarkdown } from '../worker/report/markdown';
import { renderSummary } from '../worker/report/summary';
import { reconcileReportOf } from './helpers/reconcile-report';

const now = '2026-06-30T12:00:00.000Z';
const window = { from: '2026-05-31T12:00:00.000Z', to: now };
const WATCHER_LAG = 30 / 60;
const WON_LAG = 24 * 60;

type Expected = { crosses: boolean; via: string[]; lag: number };

/** What each commitment of the shipped presets crosses, by where its events happen. */
function expectedCommitments(preset: string): Record<string, Expected> {
  const raw = parse(readFileSync(presetPath(preset as (typeof PRESETS)[number]), 'utf8')) as { connector: { cycleMinutes: number }; commitments: Array<{ id: string; measure: { stop?: { system: string; field: string } } }> };
  const cycle = raw.connector.cycleMinutes;
  const attemptsStop = raw.commitments.find((c) => c.id === 'contact_attempts')?.measure.stop;
  const dispositionStop = raw.commitments.find((c) => c.id === 'disposition_logged')?.measure.stop;
  return {
    mql_volume: { crosses: false, via: [], lag: 0 },
    acceptance_rate: { crosses: true, via: ['watcher'], lag: WATCHER_LAG },
    speed_to_lead: { crosses: true, via: ['watcher'], lag: WATCHER_LAG },
    // Completeness as the rep sees it: the required fields reach the Salesforce lead through the connector.
    data_completeness: { crosses: true, via: ['connector'], lag: cycle },
    // Counted from acceptance (watcher) to Salesforce Tasks (connector), or to a HubSpot count (no connector).
    contact_attempts: attemptsStop?.system === 'salesforce' ? { crosses: true, via: ['watcher', 'connector'], lag: cycle } : { crosses: true, via: ['watcher'], lag: WATCHER_LAG },
    disposition_logged: dispositionStop?.system === 'salesforce' ? { crosses: true, via: ['connector'], lag: cycle } : { crosses: false, via: [], lag: 0 },
  };
}

const EXPECTED_FUNNEL: Record<string, Expected> = {
  MQL: { crosses: false, via: [], lag: 0 },
  SAL: { crosses: true, via: ['watcher'], lag: WATCHER_LAG },
  SQL: { crosses: true, via: ['watcher'], lag: WATCHER_LAG },
  Opportunity: { crosses: true, via: ['watcher'], lag: WATCHER_LAG },
  Won: { crosses: true, via: ['opportunity_check'], lag: WON_LAG },
};

function fact(id: string, assigned: string): LeadFacts {
  return {
    contactId: id,
    hubspot: { [HS.mqlDate]: assigned, [HS.handoffAssignedAt]: assigned, [HS.handoffAlertedAt]: assigned, [HS.handoffAcceptedAt]: assigned, [HS.handoffFirstAttemptAt]: assigned, email: `${id}@x.test` },
    salesforce: { Disposition__c: null },
    attempts: [],
  };
}

function reportFor(preset: (typeof PRESETS)[number]): ReconcileReport {
  const contract = loadContract(presetPath(preset));
  return reconcileReportOf(contract, buildSlaReport({ contract, facts: [fact('1', '2026-06-10T10:00:00Z')], window, now }));
}

/** The CSV's cells, row by row (RFC 4180 quoting). */
function csvCells(text: string): string[][] {
  const rows: string[][] = [];
  for (const line of text.split('\r\n').filter(Boolean)) {
    const cells = [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)].map((m) => (m[1] ?? '').replace(/^"|"$/g, '').replace(/""/g, '"'));
    rows.push(cells.slice(0, -1));
  }
  return rows;
}

/** How the Markdown and HTML say a crossing, written out here. */
function said(e: Expected): string {
  const names: Record<string, string> = { connector: 'the connector', watcher: "the bridge's Salesforce watcher", opportunity_check: "the bridge's opportunity check" };
  return e.crosses ? `yes, via ${e.via.map((r) => names[r]).join(' and ')} (lags up to ${e.lag} min)` : 'no';
}

describe.each(PRESETS)('lineage of the %s preset', (preset) => {
  const report = reportFor(preset);
  const expected = expectedCommitments(preset);

  it('report.json: each commitment figure carries its crossing flag, route and lag', () => {
    const json = JSON.parse(JSON.stringify(report)) as ReconcileReport;
    const got = Object.fromEntries(json.sla.commitments.map((c) => [c.commitmentId, { crosses: c.crossesIntegration, via: c.crossesVia, lag: c.lagMinutes }]));
    expect(got).toEqual(expected);
    const funnel = Object.fromEntries(Object.entries(json.sla.funnelLineage).map(([stage, l]) => [stage, { crosses: l.crossesIntegration, via: l.crossesVia, lag: l.lagMinutes }]));
    expect(funnel).toEqual(EXPECTED_FUNNEL);
  });

  it('the CSV, the CLI summary, the Markdown and the HTML say the same', () => {
    const [header = [], ...rows] = csvCells(renderCommitmentsCsv(report));
    const col = (name: string) => header.indexOf(name);
    const summary = renderSummary(report).split('\n');
    const md = renderMarkdown(report);
    const page = renderHtml(report);
    for (const row of rows) {
      const id = row[col('commitment_id')] ?? '';
      const e = expected[id];
      if (!e) throw new Error(`unexpected commitment ${id}`);
      expect([row[col('crosses_integration')], row[col('crosses_via')], row[col('lag_minutes')]], id).toEqual([String(e.crosses), e.via.join(' '), String(e.lag)]);
      const line = summary.find((l) => l.startsWith(`${id}: `)) ?? '';
      expect(line, id).toContain(e.crosses ? `; crosses via=${e.via.join('+')} lag=${e.lag})` : '; crosses no)');
      const title = report.sla.commitments.find((c) => c.commitmentId === id)?.title ?? '';
      expect(md.split('\n').find((l) => l.startsWith(`| ${title} |`)), id).toContain(`| ${said(e)} |`);
      expect(page.match(new RegExp(`<tr data-commitment="${id}"[^\\n]*?</tr>`))?.[0], id).toContain(`<td>${said(e).replace(/'/g, '&#39;')}</td>`);
    }
    expect(rows).toHaveLength(Object.keys(expected).length);
    const funnelLine = summary.find((l) => l.startsWith('funnel crossing: ')) ?? '';
    for (const [stage, e] of Object.entries(EXPECTED_FUNNEL)) {
      expect(funnelLine).toContain(`${stage} ${e.crosses ? `via=${e.via.join('+')} lag=${e.lag}` : 'no'}`);
      if (e.crosses) {
        expect(md).toContain(`(crosses the integration: ${said(e)})`);
        expect(page).toContain(`(crosses the integration: ${said(e).replace(/'/g, '&#39;')})`);
      }
    }
  });
});
