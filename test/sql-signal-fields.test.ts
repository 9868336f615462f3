/**
 * The SQL definition's Salesforce fields, measured where the org has them and SIGNAL MISSING where it
 * lacks them: against the Salesforce sandbox through the real adapter (jsforce), the reconciliation's
 * probe reads the fields of every shipped preset's SQL definition (the sandbox org carries them, as
 * `sla check --live` finds), and falls back without failing when a contract names a field the org
 * lacks; the funnel built from what was read shows the SQL count, or SIGNAL MISSING instead of 0.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWithOptionalFields } from '../activities/reconcile';
import type { SalesforcePort } from '../activities/ports';
import { createSalesforceAdapter } from '../activities/crm';
import { HUBSPOT_PROPERTIES as HS } from '../mappings/crm';
import { loadContract, PRESETS, presetPath } from '../mappings/load';
import type { LeadFacts } from '../mappings/metrics';
import { buildSlaReport } from '../mappings/metrics';
import type { Contract } from '../mappings/contract';
import { startSandboxes, type Sandboxes } from '../sandbox';
import { renderHtml } from '../worker/report/html';
import { renderMarkdown } from '../worker/report/markdown';
import { renderSummary } from '../worker/report/summary';
import { reconcileReportOf } from './helpers/reconcile-report';

let sandboxes: Sandboxes;
let salesforce: SalesforcePort;
const window = { from: '2026-05-31T12:00:00.000Z', to: '2026-06-30T12:00:00.000Z' };

beforeAll(async () => {
  sandboxes = await startSandboxes({ hubspot: { searchLagMs: 0 } });
  const sf = sandboxes.salesforce;
  salesforce = createSalesforceAdapter({ instanceUrl: sf.instanceUrl, loginUrl: sf.loginUrl, clientId: sf.clientId, clientSecret: sf.clientSecret });
});
afterAll(async () => {
  await sandboxes?.stop();
});

/** The SQL definition's properties, read off the contract file's predicates. */
const signalFields = (contract: Contract) => contract.definitions.sql.signals.flatMap((p) => ('property' in p ? [p.property] : []));

/** Reads every lead with the fields the contract's SQL definition names, as the snapshot does: probe, then page. */
async function leadFacts(contract: Contract): Promise<{ optionalRead: boolean; facts: LeadFacts[] }> {
  const fields = ['Status', 'Email'];
  const sql = signalFields(contract);
  const { optionalRead } = await readWithOptionalFields(sql, (extra) => salesforce.queryLeads({ where: 'Id = null', fields: extra, pageSize: 1 }));
  const page = await salesforce.queryLeads({ fields: optionalRead ? [...fields, ...sql] : fields, pageSize: 200 });
  // Two episodes in the window, one of them SQL by the bridge's stamp.
  const facts = page.records.slice(0, 2).map((lead, i): LeadFacts => ({
    contactId: String(i + 1),
    leadId: lead.id,
    hubspot: { [HS.mqlDate]: '2026-06-10T10:00:00.000Z', ...(i === 0 ? { [HS.sqlDate]: '2026-06-11T10:00:00.000Z' } : {}) },
    salesforce: lead.fields,
  }));
  return { optionalRead, facts };
}

describe("the SQL definition's Lead fields", () => {
  beforeAll(() => {
    for (const n of [1, 2]) sandboxes.salesforce.store.create('Lead', { LastName: `Sql${n}`, Company: 'Acme', Email: `sql${n}@acme.example` });
  });

  it.each(PRESETS)('are read where the org has them, and the funnel measures SQL (%s)', async (preset) => {
    const contract = loadContract(presetPath(preset));
    const { optionalRead, facts } = await leadFacts(contract);
    expect(optionalRead).toBe(true);
    for (const field of signalFields(contract)) expect(facts[0]?.salesforce, field).toHaveProperty(field);
    const report = buildSlaReport({ contract, facts, window, now: window.to });
    expect(report.funnel.find((r) => r.source === 'All sources')?.counts.SQL).toBe(1);
    expect(report.signalsMissing.filter((s) => s.startsWith('funnel SQL'))).toEqual([]);
  });

  it('where the org lacks one, the read still succeeds and the funnel says SIGNAL MISSING, never 0', async () => {
    const contract = structuredClone(loadContract(presetPath('default')));
    contract.definitions.sql.signals.push({ label: 'champion', property: 'Champion_Identified__c', op: 'eq', value: true });
    const { optionalRead, facts } = await leadFacts(contract);
    expect(optionalRead).toBe(false);
    expect(facts).toHaveLength(2);
    const sla = buildSlaReport({ contract, facts, window, now: window.to });
    for (const row of sla.funnel) expect(row.counts.SQL, row.source).toBeNull();
    const notes = sla.signalsMissing.filter((s) => s.startsWith('funnel SQL: SIGNAL MISSING'));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain('Champion_Identified__c');
    // The CLI summary, the Markdown and the HTML print SIGNAL MISSING in its place and count the same notes.
    const report = reconcileReportOf(contract, sla);
    const summary = renderSummary(report).split('\n');
    expect(summary).toContain(`signals missing: ${sla.signalsMissing.length}`);
    expect(summary.find((l) => l.startsWith('funnel All sources: '))).toContain('SQL SIGNAL MISSING');
    const md = renderMarkdown(report);
    const listed = md.slice(md.indexOf('### Signals missing')).split('\n\n')[1]?.split('\n').filter((l) => l.startsWith('- ')) ?? [];
    expect(listed).toHaveLength(sla.signalsMissing.length);
    expect(md).toContain(`- ${notes[0] ?? ''}`);
    expect(renderHtml(report).match(/<li class="signal">/g)).toHaveLength(sla.signalsMissing.length);
  });
});
