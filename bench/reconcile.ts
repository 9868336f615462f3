/**
 * Benchmark: reconcile 100,000 HubSpot contacts against 100,000 Salesforce leads in the sandboxes,
 * through the real clients and the real reconcile workflow on a Temporal dev server. Prints the API
 * calls each sandbox served (by operation) and the seconds taken. Figures only, no assertions.
 *
 *   npx tsx bench/reconcile.ts [--leads 100000] [--keep-limits]
 *
 * By default the sandboxes' rate limits are raised so the figure is the bridge's own cost; with
 * --keep-limits the real budgets apply (HubSpot search 4/s, 190 requests/10 s) and the reconcile
 * activities pace themselves to them, so the run takes at least calls ÷ rate seconds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { createCallBudget, createHubSpotAdapter, createSalesforceAdapter, DEFAULT_CALL_BUDGETS } from '../activities/crm';
import { DEFAULT_RECONCILE_RATES, HUBSPOT_HISTORY_BATCH, createReconcileReadsAdapter, createDirectoryReportStore } from '../activities/reconcile';
import { parseRepairPolicy } from '../mappings/metrics';
import { loadContract } from '../mappings/load';
import { startSandboxes } from '../sandbox';
import { startDevServer } from '../worker/dev-server';
import { runReconciliation } from '../worker/report/reconcile-runner';
import { defaultToolsDir, provisionTemporal } from '../worker/temporal-binaries';
import { reconcilePhases } from './support/reconcile-phases';

const { values } = parseArgs({ options: { leads: { type: 'string', default: '100000' }, 'keep-limits': { type: 'boolean', default: false } } });
const total = Number(values.leads);
const keepLimits = values['keep-limits'];

Runtime.install({ logger: new DefaultLogger('WARN') });
const binaries = await provisionTemporal({ toolsDir: defaultToolsDir() });
const server = await startDevServer({ cliPath: binaries.cli });
// HubSpot stamps every write with its clock: seeding moves it back to date the portal's history.
const DAY_MS = 86_400_000;
let clockOffsetMs = 0;
const sandboxes = await startSandboxes({
  // The snapshot is read right after seeding: search must already see every seeded contact.
  hubspot: {
    searchLagMs: 0,
    clock: () => Date.now() + clockOffsetMs,
    ...(keepLimits ? {} : { rateLimits: { tenSecondly: 1_000_000, searchPerSecond: 1_000_000, daily: 10_000_000 } }),
  },
  salesforce: { dailyApiLimit: 10_000_000 },
});
const reportDir = mkdtempSync(join(tmpdir(), 'reconcile-bench-'));

try {
  const hs = sandboxes.hubspot.store;
  const sf = sandboxes.salesforce.store;
  const seedStarted = performance.now();
  const reps = Array.from({ length: 5 }, (_, i) => {
    const email = `rep${i}@sales.example`;
    return { ownerId: hs.addOwner({ email, firstName: `Rep${i}`, lastName: 'Bench' }).id, userId: sf.create('User', { Username: email, Email: email, LastName: `Rep${i}` }).id };
  });
  // A portal with a past: every pair imported 400 days ago, mostly consistent; every 100th has another
  // owner in Salesforce, every 250th a status drift.
  clockOffsetMs = -400 * DAY_MS;
  const contactIds: string[] = [];
  for (let i = 0; i < total; i++) {
    const rep = reps[i % reps.length];
    const other = reps[(i + 1) % reps.length];
    const email = `lead${i}@bench.example`;
    const leadId = sf.create('Lead', { LastName: `Lead${i}`, Company: 'Bench Ltd', Email: email, Status: i % 250 === 0 ? 'Working - Contacted' : 'Open - Not Contacted', OwnerId: (i % 100 === 0 ? other : rep)?.userId }).id;
    contactIds.push(hs.createContact({ email, firstname: 'Bench', lastname: `Lead${i}`, lifecyclestage: 'lead', hs_lead_status: 'NEW', hubspot_owner_id: rep?.ownerId ?? '', salesforceleadid: leadId }, 'IMPORT').id);
  }
  // The last 30 days (the flip-flop window): every 40th contact had a two-way field changed (its first
  // name, by a user, synced to Salesforce), every 40th another one a one-way field (lead status), and
  // every 1,000th an owner that swung back and forth between a user and the connector (a flip-flop).
  const changed = { twoWay: 0, oneWay: 0, flipFlops: 0 };
  for (let i = 0; i < total; i++) {
    const id = contactIds[i] ?? '';
    clockOffsetMs = -(1 + (i % 28)) * DAY_MS;
    if (i % 40 === 1) {
      hs.update(id, { firstname: 'Benchmark' }, 'CRM_UI');
      sf.update('Lead', String(hs.value(id, 'salesforceleadid')), { FirstName: 'Benchmark' });
      changed.twoWay++;
    } else if (i % 40 === 2) {
      hs.update(id, { hs_lead_status: 'OPEN' }, 'CRM_UI');
      changed.oneWay++;
    } else if (i % 1000 === 3) {
      const [rep, other] = [reps[i % reps.length]?.ownerId ?? '', reps[(i + 2) % reps.length]?.ownerId ?? ''];
      for (const [n, owner] of [other, rep, other, rep].entries()) {
        clockOffsetMs = -(20 - n) * DAY_MS;
        hs.update(id, { hubspot_owner_id: owner }, n % 2 ? 'SALESFORCE' : 'CRM_UI');
      }
      changed.flipFlops++;
    }
  }
  clockOffsetMs = 0;
  console.log(`seeded ${total} contacts and ${total} leads in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s; changed in the last 30 days: ${changed.twoWay} two-way, ${changed.oneWay} one-way, ${changed.flipFlops} flip-flops`);

  const hubspotOptions = { accessToken: sandboxes.hubspot.accessToken, basePath: sandboxes.hubspot.baseUrl };
  const salesforceOptions = { instanceUrl: sandboxes.salesforce.instanceUrl, loginUrl: sandboxes.salesforce.loginUrl, clientId: sandboxes.salesforce.clientId, clientSecret: sandboxes.salesforce.clientSecret };
  const connection = await NativeConnection.connect({ address: server.address });
  const client = new Client({ connection: await Connection.connect({ address: server.address }) });
  const contract = loadContract();
  sandboxes.hubspot.requests.reset();
  sandboxes.salesforce.requests.reset();
  // One budget per CRM for every call of the run, as in a worker (the history reads included); with
  // the limits raised, raised too: the figure is then the reconciliation's cost, not the budget's.
  const budgets = {
    hubspot: createCallBudget(keepLimits ? { calls: DEFAULT_CALL_BUDGETS.hubspotPer10Seconds, perMs: 10_000 } : { calls: 100_000, perMs: 10_000 }),
    salesforce: createCallBudget(keepLimits ? { calls: DEFAULT_CALL_BUDGETS.salesforcePerSecond, perMs: 1_000 } : { calls: 10_000, perMs: 1_000 }),
  };
  const started = performance.now();
  const startedAt = Date.now();
  const cpuBefore = process.cpuUsage();
  const result = await runReconciliation({
    client,
    connection,
    deps: {
      hubspot: createHubSpotAdapter({ ...hubspotOptions, budget: budgets.hubspot }),
      salesforce: createSalesforceAdapter({ ...salesforceOptions, budget: budgets.salesforce }),
      reads: createReconcileReadsAdapter({ hubspot: hubspotOptions, salesforce: salesforceOptions, budgets }),
      store: createDirectoryReportStore(reportDir),
      contract: () => contract,
      rates: keepLimits ? DEFAULT_RECONCILE_RATES : { hubspotSearchPerSecond: 10_000 },
    },
    input: { portalId: sandboxes.hubspot.portalId, policy: parseRepairPolicy('none'), handoffTaskQueue: 'handoff' },
  });
  const seconds = (performance.now() - started) / 1000;
  // This process's CPU (the sandboxes and the bridge together; the dev server apart): unlike the wall
  // time, it hardly moves with the machine's load.
  const cpu = process.cpuUsage(cpuBefore);
  const { workflowStartedAt, phases } = await reconcilePhases(client);
  const hubspotCalls = sandboxes.hubspot.requests.all();
  const salesforceCalls = sandboxes.salesforce.requests.all();
  const sum = (calls: Record<string, number>) => Object.values(calls).reduce((a, b) => a + b, 0);
  console.log(
    [
      `reconciled ${result.contacts} contacts / ${result.leads} leads in ${seconds.toFixed(1)} s (${keepLimits ? 'real rate limits, paced' : 'sandbox limits raised'}), load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`,
      `this process's CPU in that time: ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s (user ${(cpu.user / 1e6).toFixed(1)}, system ${(cpu.system / 1e6).toFixed(1)})`,
      `phases: worker start ${((workflowStartedAt - startedAt) / 1000).toFixed(1)} s; ${phases.map((p) => `${p.activity} ${(p.ms / 1000).toFixed(1)} s${p.calls > 1 ? ` (${p.calls} calls)` : ''}`).join('; ')}`,
      `HubSpot API calls:    ${sum(hubspotCalls)}  ${JSON.stringify(hubspotCalls)}`,
      `Salesforce API calls: ${sum(salesforceCalls)}  ${JSON.stringify(salesforceCalls)}`,
      `drift found: ${JSON.stringify(Object.fromEntries(Object.entries(result.counts).filter(([, n]) => n > 0)))}`,
      `history batch reads: ${hubspotCalls['contacts.batchRead'] ?? 0} (of ${HUBSPOT_HISTORY_BATCH} contacts each) for ${changed.twoWay + changed.oneWay + changed.flipFlops} contacts changed in the window; ${Math.ceil(total / HUBSPOT_HISTORY_BATCH)} would read every history`,
      `CRM calls in total: ${sum(hubspotCalls) + sum(salesforceCalls)} (${((sum(hubspotCalls) + sum(salesforceCalls)) / (total / 1000)).toFixed(2)} per 1,000 leads)`,
      `bound at the real limits: HubSpot ${hubspotCalls['contacts.search'] ?? 0} searches ÷ ${DEFAULT_RECONCILE_RATES.hubspotSearchPerSecond}/s, ${sum(hubspotCalls)} calls ÷ ${DEFAULT_CALL_BUDGETS.hubspotPer10Seconds / 10}/s (the call budget) ≈ ${Math.round(Math.max((hubspotCalls['contacts.search'] ?? 0) / DEFAULT_RECONCILE_RATES.hubspotSearchPerSecond, sum(hubspotCalls) / (DEFAULT_CALL_BUDGETS.hubspotPer10Seconds / 10)))} s of pacing`,
    ].join('\n'),
  );
  await connection.close();
  await client.connection.close();
} finally {
  await sandboxes.stop();
  await server.stop();
  rmSync(reportDir, { recursive: true, force: true });
}
