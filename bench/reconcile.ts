/**
 * Benchmark: reconcile 100,000 HubSpot contacts against 100,000 Salesforce leads in the sandboxes,
 * through the real clients and the real reconcile workflow on a Temporal dev server. Prints the API
 * calls each sandbox served (by operation), the seconds taken with the load average, the CPU of the
 * bridge and of the sandboxes (which run in a child process, as the CRMs are elsewhere) and each
 * phase's time. Figures only, no assertions.
 *
 *   npx tsx bench/reconcile.ts [--leads 100000] [--keep-limits]
 *
 * By default the sandboxes' rate limits are raised so the figure is the bridge's own cost; with
 * --keep-limits the real budgets apply (HubSpot search 4/s, 190 requests/10 s) and the reconcile
 * activities pace themselves to them, so the run takes at least calls ÷ rate seconds.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { createCallBudget, createHubSpotAdapter, createSalesforceAdapter, DEFAULT_CALL_BUDGETS } from '../activities/crm';
import { DEFAULT_RECONCILE_RATES, HUBSPOT_HISTORY_BATCH, createReconcileReadsAdapter, createDirectoryReportStore } from '../activities/reconcile';
import { parseRepairPolicy } from '../mappings/metrics';
import { loadContract } from '../mappings/load';
import { startDevServer } from '../worker/dev-server';
import { RECONCILE_WORKFLOWS_PATH, runReconciliation } from '../worker/report/reconcile-runner';
import { workflowBundleOptions } from '../worker/workflow-bundle-options';
import { defaultToolsDir, provisionTemporal } from '../worker/temporal-binaries';
import { reconcilePhases } from './support/reconcile-phases';
import type { PortalMessage } from './support/reconcile-portal';

const { values } = parseArgs({ options: { leads: { type: 'string', default: '100000' }, 'keep-limits': { type: 'boolean', default: false } } });
const total = Number(values.leads);
const keepLimits = values['keep-limits'];

Runtime.install({ logger: new DefaultLogger('WARN') });
const binaries = await provisionTemporal({ toolsDir: defaultToolsDir() });
const server = await startDevServer({ cliPath: binaries.cli });
// The CRMs run in a child process, seeded there (bench/support/reconcile-portal.ts): this process is
// the bridge's alone, as in production, and its CPU figure is the reconciliation's own.
const portal = fork(fileURLToPath(new URL('./support/reconcile-portal.ts', import.meta.url)), ['--leads', String(total), ...(keepLimits ? ['--keep-limits'] : [])], { execArgv: ['--import', 'tsx'] });
const ask = <T extends PortalMessage['type']>(type: T, send?: object): Promise<Extract<PortalMessage, { type: T }>> =>
  new Promise((resolve, reject) => {
    const onMessage = (message: PortalMessage) => {
      if (message.type !== type) return;
      portal.off('exit', onExit);
      portal.off('message', onMessage);
      resolve(message as Extract<PortalMessage, { type: T }>);
    };
    const onExit = (code: number | null) => reject(new Error(`the benchmark's sandboxes exited (${code}) before answering ${type}`));
    portal.on('message', onMessage);
    portal.once('exit', onExit);
    if (send) portal.send(send);
  });
const reportDir = mkdtempSync(join(tmpdir(), 'reconcile-bench-'));

try {
  const ready = await ask('ready');
  const { changed } = ready;
  console.log(`seeded ${total} contacts and ${total} leads in ${ready.seedSeconds.toFixed(1)} s (the sandboxes' own process); changed in the last 30 days: ${changed.twoWay} two-way, ${changed.oneWay} one-way, ${changed.flipFlops} flip-flops`);

  const hubspotOptions = { accessToken: ready.hubspot.accessToken, basePath: ready.hubspot.basePath };
  const salesforceOptions = ready.salesforce;
  const connection = await NativeConnection.connect({ address: server.address });
  const client = new Client({ connection: await Connection.connect({ address: server.address }) });
  const contract = loadContract();
  await ask('reset', { type: 'reset' });
  // One budget per CRM for every call of the run, as in a worker (the history reads included); with
  // the limits raised, raised too: the figure is then the reconciliation's cost, not the budget's.
  const budgets = {
    hubspot: createCallBudget(keepLimits ? { calls: DEFAULT_CALL_BUDGETS.hubspotPer10Seconds, perMs: 10_000 } : { calls: 100_000, perMs: 10_000 }),
    salesforce: createCallBudget(keepLimits ? { calls: DEFAULT_CALL_BUDGETS.salesforcePerSecond, perMs: 1_000 } : { calls: 10_000, perMs: 1_000 }),
  };
  // The workflow's bundle first, apart: the Docker image builds it once (npm run build:bundle), so the
  // figure is the reconciliation's, not webpack's.
  const bundleStarted = performance.now();
  const { code } = await bundleWorkflowCode(workflowBundleOptions({ workflowsPath: RECONCILE_WORKFLOWS_PATH, logger: new DefaultLogger('WARN') }));
  const bundleSeconds = (performance.now() - bundleStarted) / 1000;
  const started = performance.now();
  const startedAt = Date.now();
  const cpuBefore = process.cpuUsage();
  const result = await runReconciliation({
    client,
    connection,
    workflowBundle: { code },
    deps: {
      hubspot: createHubSpotAdapter({ ...hubspotOptions, budget: budgets.hubspot }),
      salesforce: createSalesforceAdapter({ ...salesforceOptions, budget: budgets.salesforce }),
      reads: createReconcileReadsAdapter({ hubspot: hubspotOptions, salesforce: salesforceOptions, budgets }),
      store: createDirectoryReportStore(reportDir),
      contract: () => contract,
      rates: keepLimits ? DEFAULT_RECONCILE_RATES : { hubspotSearchPerSecond: 10_000 },
    },
    input: { portalId: ready.hubspot.portalId, policy: parseRepairPolicy('none'), handoffTaskQueue: 'handoff' },
  });
  const seconds = (performance.now() - started) / 1000;
  // This process's CPU (the sandboxes and the bridge together; the dev server apart): unlike the wall
  // time, it hardly moves with the machine's load.
  const cpu = process.cpuUsage(cpuBefore);
  const { workflowStartedAt, phases } = await reconcilePhases(client);
  const served = await ask('requests', { type: 'requests' });
  const [hubspotCalls, salesforceCalls] = [served.hubspot, served.salesforce];
  const sum = (calls: Record<string, number>) => Object.values(calls).reduce((a, b) => a + b, 0);
  console.log(
    [
      `reconciled ${result.contacts} contacts / ${result.leads} leads in ${seconds.toFixed(1)} s (${keepLimits ? 'real rate limits, paced' : 'sandbox limits raised'}), load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`,
      `CPU in that time: the bridge (this process) ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s (user ${(cpu.user / 1e6).toFixed(1)}, system ${(cpu.system / 1e6).toFixed(1)}); the sandboxes ${served.cpuSeconds.toFixed(1)} s`,
      `phases: workflow bundled beforehand in ${bundleSeconds.toFixed(1)} s (not counted); worker start ${((workflowStartedAt - startedAt) / 1000).toFixed(1)} s; ${phases.map((p) => `${p.activity} ${(p.ms / 1000).toFixed(1)} s${p.calls > 1 ? ` (${p.calls} calls)` : ''}`).join('; ')}`,
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
  if (portal.exitCode === null) {
    const exited = new Promise((resolve) => portal.once('exit', resolve));
    portal.send({ type: 'stop' });
    await exited;
  }
  await server.stop();
  rmSync(reportDir, { recursive: true, force: true });
}
