/**
 * The SLA report's governance figures (recalibration trigger, quarterly comparison, SIGNAL MISSING)
 * and its renderings: Markdown, HTML and CSV say the same numbers and never let record data break out.
 */
import { describe, expect, it } from 'vitest';
import { HUBSPOT_PROPERTIES as HS } from '../mappings/crm';
import { type LeadFacts, buildSlaReport, type ReconcileReport } from '../mappings/metrics';
import { reconcileReportOf } from './helpers/reconcile-report';
import { loadContract } from '../mappings/load';
import { renderCommitmentsCsv, renderDriftCsv } from '../worker/report/csv';
import { renderHtml } from '../worker/report/html';
import { renderMarkdown } from '../worker/report/markdown';

const contract = loadContract();
const now = '2026-06-30T12:00:00.000Z';
const window = { from: '2026-05-31T12:00:00.000Z', to: now };

/** A handoff assigned at `assigned`, accepted or else rejected (a decided handover either way). */
function fact(id: string, assigned: string, accepted: boolean, reason = 'BAD_TIMING'): LeadFacts {
  const decision: Record<string, string> = accepted ? { [HS.handoffAcceptedAt]: assigned } : { [HS.handoffRejectionReason]: reason, [HS.handoffOutcomeAt]: assigned };
  return {
    contactId: id,
    hubspot: { [HS.mqlDate]: assigned, [HS.handoffAssignedAt]: assigned, [HS.handoffAlertedAt]: assigned, ...decision, email: `${id}@x.test` },
    salesforce: { Disposition__c: null },
    attempts: [],
  };
}

function reportWith(sla: ReturnType<typeof buildSlaReport>): ReconcileReport {
  const items = [
    { key: 'orphan_salesforce_lead:00Q1', class: 'orphan_salesforce_lead' as const, leadIds: ['00Q1'], detail: 'open lead <b>"x"</b>, no contact', isNew: true, policy: 'report' as const, outcome: 'not_repairable' as const, outcomeDetail: '=HYPERLINK("evil")' },
  ];
  return reconcileReportOf(contract, sla, items);
}

describe('SLA governance figures', () => {
  it('fires the recalibration trigger when acceptance stays below the bar for the agreed consecutive months', () => {
    const facts = [fact('1', '2026-05-10T10:00:00Z', true), fact('2', '2026-05-11T10:00:00Z', false), fact('3', '2026-06-10T10:00:00Z', false), fact('4', '2026-06-11T10:00:00Z', true)];
    const fired = buildSlaReport({ contract, facts, window, now }).review.trigger;
    expect(fired.months).toEqual([{ month: '2026-05', value: 50 }, { month: '2026-06', value: 50 }]);
    expect(fired.fired).toBe(true);
    const healthy = buildSlaReport({ contract, facts: [...facts, fact('5', '2026-05-12T10:00:00Z', true), fact('6', '2026-05-13T10:00:00Z', true)], window, now }).review.trigger;
    expect(healthy.fired).toBe(false);
  });

  it('says SIGNAL MISSING instead of a number when no lead has the start event in the window', () => {
    const report = buildSlaReport({ contract, facts: [], window, now });
    const speed = report.commitments.find((c) => c.commitmentId === 'speed_to_lead');
    expect(speed?.value).toBeNull();
    expect(speed?.signalMissing).toMatch(/^SIGNAL MISSING: /);
    expect(report.signalsMissing.length).toBeGreaterThan(0);
  });

  it('compares with an earlier saved report: what moved, which reasons dominate, what to recalibrate', () => {
    const earlier = { generatedAt: '2026-03-31T12:00:00Z', sla: { commitments: [{ commitmentId: 'acceptance_rate', title: 'Acceptance', value: 80, met: true, detail: {} }], rejections: [{ code: 'BAD_TIMING', count: 4 }] } };
    const facts = [fact('1', '2026-06-10T10:00:00Z', true), fact('2', '2026-06-11T10:00:00Z', false, 'WRONG_INDUSTRY')];
    const q = buildSlaReport({ contract, facts, window, now, earlier }).quarterly;
    expect(q?.acceptance).toEqual({ then: 80, now: 50 });
    expect(q?.dominantReasons).toEqual({ then: ['BAD_TIMING (4)'], now: ['WRONG_INDUSTRY (1)'] });
    expect(q?.recalibrate).toEqual(expect.arrayContaining(['mql.fit (rejections: WRONG_INDUSTRY)', 'acceptance_rate: met last time, missed now']));
  });
});

describe('report renderings', () => {
  const report = reportWith(buildSlaReport({ contract, facts: [fact('1', '2026-06-10T10:00:00Z', true), fact('2', '2026-06-11T10:00:00Z', false)], window, now }));

  it('writes the monthly review pack on the contract\'s fixed agenda in Markdown', () => {
    const md = renderMarkdown(report);
    expect(md).toContain('## Monthly review pack — 2026-06');
    for (const title of ['Attainment against each commitment', 'The conversion funnel', 'The rejected-lead reasons', 'One improvement action']) expect(md).toContain(title);
    expect(md).toContain('SIGNAL MISSING: no saved report at least 80 days old');
    expect(md).toMatch(/\| Share of handed-over leads that sales accepts \| marketing \| 50% \(1\/2/);
  });

  it('escapes record data in the HTML and embeds charts as inline SVG with nothing fetched', () => {
    const page = renderHtml(report);
    expect(page).not.toContain('<b>"x"</b>');
    expect(page).toContain('&lt;b&gt;&quot;x&quot;&lt;/b&gt;');
    expect(page).toMatch(/<svg id="chart-funnel"/);
    expect(page).not.toMatch(/<script|src="http|href="http/);
    expect(page).toContain('data-commitment="acceptance_rate" data-value="50"');
  });

  it('writes CSV a spreadsheet opens safely', () => {
    const csv = renderDriftCsv(report);
    expect(csv.split('\r\n')[0]).toBe('run_id,key,class,class_label,contact_id,salesforce_lead_ids,reason,detail,is_new,policy,outcome,outcome_detail');
    expect(csv).toContain(`"'=HYPERLINK(""evil"")"`);
    expect(csv).toContain('"open lead <b>""x""</b>, no contact"');
    expect(renderCommitmentsCsv(report).split('\r\n').filter(Boolean)).toHaveLength(contract.commitments.length + 1);
  });
});
