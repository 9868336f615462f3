/**
 * End to end on the dev server and the sandboxes: the reconcile workflow pages both CRMs through the
 * real clients, finds exactly the planted drift, repairs the repairable items, and a second run finds
 * nothing new. The SLA figures match the scenario's hand-computed answers.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDirectoryReportStore } from '../activities/reconcile';
import { HUBSPOT_PROPERTIES as HS } from '../mappings/crm';
import { parseRepairPolicy, type ReconcileReport } from '../mappings/metrics';
import { runReconciliation } from '../worker/report/reconcile-runner';
import type { ReconcileResult } from '../api/reconcile';
import { devServerEnv, uniqueTaskQueue } from './helpers/temporal';
import { KNOWN_ANSWERS, seedScenario, type Scenario } from './reconcile-scenario';

describe('reconciliation of a seeded scenario', () => {
  let env: TestWorkflowEnvironment;
  let scenario: Scenario;
  let reportDir: string;
  let first: ReconcileResult;
  let firstReport: ReconcileReport;
  let second: ReconcileResult;
  let secondReport: ReconcileReport;
  let secondRunRequests: { hubspot: Record<string, number>; salesforce: Record<string, number> };
  const handoffQueue = uniqueTaskQueue('stranded-handoffs');

  const reconcileOnce = async () => {
    const result = await runReconciliation({
      client: env.client,
      connection: env.nativeConnection,
      deps: { ...scenario.deps, store: createDirectoryReportStore(reportDir) },
      input: { portalId: scenario.portalId, policy: parseRepairPolicy(undefined), handoffTaskQueue: handoffQueue, pagesPerActivity: 2 },
    });
    const report = JSON.parse(readFileSync(join(result.reportDirectory, 'report.json'), 'utf8')) as ReconcileReport;
    return { result, report };
  };

  beforeAll(async () => {
    env = await devServerEnv();
    scenario = await seedScenario(env.client);
    reportDir = mkdtempSync(join(tmpdir(), 'reconcile-scenario-'));
    ({ result: first, report: firstReport } = await reconcileOnce());
    scenario.sandboxes.hubspot.requests.reset();
    scenario.sandboxes.salesforce.requests.reset();
    ({ result: second, report: secondReport } = await reconcileOnce());
    secondRunRequests = { hubspot: scenario.sandboxes.hubspot.requests.all(), salesforce: scenario.sandboxes.salesforce.requests.all() };
  }, 180_000);

  afterAll(async () => {
    await scenario?.stop();
    await env?.teardown();
    if (reportDir) rmSync(reportDir, { recursive: true, force: true });
  });

  it('lists exactly the planted drift, one of every class', () => {
    expect(firstReport.drift.items.map((i) => i.key).sort()).toEqual(scenario.planted);
    expect(Object.values(first.counts).every((n) => n > 0)).toBe(true);
    expect(first.newCount).toBe(scenario.planted.length);
  });

  it('says why each stranded MQL was stranded', () => {
    const reasons: Record<string, string | undefined> = Object.fromEntries(
      firstReport.drift.items.filter((i) => i.class === 'stranded_mql').map((i): [string, string | undefined] => [i.contactId ?? '', i.reason]),
    );
    expect(reasons).toEqual({
      [scenario.ids.syncError ?? '']: 'sync_error',
      [scenario.ids.outsideInclusion ?? '']: 'outside_inclusion',
      [scenario.ids.duplicateA ?? '']: 'duplicate',
      [scenario.ids.duplicateB ?? '']: 'duplicate',
    });
  });

  it('repairs the repairable items and records each repair in the report', async () => {
    const repaired = firstReport.drift.items.filter((i) => i.outcome === 'repaired').map((i) => i.key).sort();
    expect(repaired).toEqual(scenario.repairable);
    expect(first.repaired).toBe(scenario.repairable.length);
    const { hubspot, salesforce } = scenario.sandboxes;
    expect(salesforce.store.find(scenario.ids.statusLead ?? '')?.fields.Status).toBe('Working - Contacted');
    const expectedOwner = [...hubspot.store.owners.values()].find((o) => o.email === salesforce.store.find(String(salesforce.store.find(scenario.ids.ownerLead ?? '')?.fields.OwnerId))?.fields.Email)?.id;
    expect(hubspot.store.value(scenario.ids.owner ?? '', HS.ownerId)).toBe(expectedOwner);
    expect(hubspot.store.value(scenario.ids.disqualified ?? '', HS.lifecycleStage)).toBe('other');
    expect(hubspot.store.value(scenario.ids.disqualified ?? '', HS.leadStatus)).toBe('UNQUALIFIED');
    for (const contactId of [scenario.ids.syncError, scenario.ids.outsideInclusion]) {
      const description = await env.client.workflow.getHandle(`handoff:${scenario.portalId}:${contactId ?? ''}`).describe();
      expect(description.status.name).toBe('RUNNING');
    }
  });

  it('finds nothing new on a second run and repairs nothing', () => {
    expect(second.newCount).toBe(0);
    expect(second.repaired).toBe(0);
    const remaining = scenario.planted.filter((key) => !scenario.repairable.includes(key));
    expect(secondReport.drift.items.map((i) => i.key).sort()).toEqual(remaining);
    expect(secondReport.drift.items.every((i) => !i.isNew)).toBe(true);
  });

  it('reads property histories only of contacts changed within the flip-flop window', () => {
    // The history files of the first run name every contact whose history was read.
    const historyFiles = readdirSync(first.reportDirectory).filter((name) => name.startsWith('history-'));
    const read = historyFiles.flatMap((name) =>
      readFileSync(join(first.reportDirectory, name), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => (JSON.parse(line) as { contactId: string }).contactId),
    );
    // Swung back 2 to 5 days ago on a contact created 60 days ago: read, and reported (planted above).
    expect(read).toContain(scenario.ids.oldFlip);
    expect(read).toContain(scenario.ids.flip);
    // Linked, consistent and last written 60 days ago: nothing in the window, so no history read.
    expect(read).not.toContain(scenario.ids.quiet);
  });

  it('reads both systems with batch calls only', () => {
    expect(Object.keys(secondRunRequests.hubspot).sort()).toEqual(['contacts.batchRead', 'contacts.search', 'owners.list']);
    expect(Object.keys(secondRunRequests.salesforce).filter((op) => op !== 'oauth.token').sort()).toEqual(['query']);
    // 24 contacts in pages of 200: one search page; histories of the linked contacts: one batch read.
    expect(secondRunRequests.hubspot['contacts.search']).toBe(1);
    expect(second.apiCalls.hubspot).toBe(Object.values(secondRunRequests.hubspot).reduce((a, b) => a + b, 0));
  });

  it('computes the SLA figures the scenario was built to show', () => {
    const figure = (id: string) => firstReport.sla.commitments.find((c) => c.commitmentId === id);
    expect(figure('speed_to_lead')?.value).toBe(KNOWN_ANSWERS.speedToLeadAttainment);
    expect(figure('speed_to_lead')?.detail.median).toBe(KNOWN_ANSWERS.speedToLeadMedian);
    expect(figure('acceptance_rate')?.value).toBe(KNOWN_ANSWERS.acceptanceRate);
    expect(figure('acceptance_rate')?.met).toBe(false);
    expect(figure('data_completeness')?.value).toBe(KNOWN_ANSWERS.dataCompleteness);
    expect(figure('disposition_logged')?.value).toBe(KNOWN_ANSWERS.dispositionLogged);
    expect(figure('contact_attempts')?.detail.pending).toBe(KNOWN_ANSWERS.contactAttemptsPending);
    expect(figure('contact_attempts')?.value).toBeNull();
    expect(figure('contact_attempts')?.crossesIntegration).toBe(true);
    expect(figure('mql_volume')?.detail.inWindow).toBe(KNOWN_ANSWERS.mqlCohort);
    const all = firstReport.sla.funnel.find((r) => r.source === 'All sources');
    expect(all?.counts).toEqual(KNOWN_ANSWERS.funnelAll);
    const organic = firstReport.sla.funnel.find((r) => r.source === 'ORGANIC_SEARCH');
    expect({ MQL: organic?.counts.MQL, SAL: organic?.counts.SAL }).toEqual(KNOWN_ANSWERS.funnelOrganic);
    expect(Object.fromEntries(firstReport.sla.rejections.filter((r) => r.count > 0).map((r) => [r.code, r.count]))).toEqual(KNOWN_ANSWERS.rejections);
    expect(firstReport.sla.delays.systemMedianMinutes).toBe(KNOWN_ANSWERS.systemDelayMedian);
    expect(firstReport.sla.delays.repMedianMinutes).toBe(KNOWN_ANSWERS.repDelayMedian);
  });
});
