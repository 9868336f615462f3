/**
 * `handoff-bridge reconcile --out <dir>`: reconcile HubSpot and Salesforce now, with a progress bar,
 * and write the report (Markdown, HTML, CSV, JSON) under <dir>/<run id>/. `--schedule` instead
 * creates (or updates) the Temporal Schedule that runs it on the bridge's worker every --every.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from '@commander-js/extra-typings';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { createCallBudget, createHubSpotAdapter, createSalesforceAdapter, DEFAULT_CALL_BUDGETS } from '../../activities/crm';
import { createReconcileReadsAdapter, createDirectoryReportStore, cadenceSchema, ensureReconcileSchedule } from '../../activities/reconcile';
import { DRIFT_CLASSES, parseRepairPolicy, type ReconcileReport } from '../../mappings/metrics';
import { loadContract } from '../../mappings/load';
import { HANDOFF_TASK_QUEUE } from '../../api/ids';
import type { ReconcileInput, ReconcileResult } from '../../api/reconcile';
import { usageError, withExamples } from '../cli/declare';
import { exitWith } from '../cli/errors';
import { positiveInteger, validated } from '../cli/values';
import { ConfigError, loadConfig } from '../config';
import { dataConverterFor } from '../codec';
import { crmConnectionsFrom } from '../crm-connections';
import { connectClientFromEnv } from '../temporal-client';
import { REPORT_FILES } from '../report';
import { createProgressBar } from '../report/progress-bar';
import { runReconciliation } from '../report/reconcile-runner';
import { renderSummary } from '../report/summary';

export const summary = 'reconcile HubSpot and Salesforce now and write the SLA report (or --schedule it on the bridge)';

export interface ReconcileOptions {
  out?: string;
  repair?: string;
  windowDays: number;
  compare?: string;
  schedule?: boolean;
  every?: string;
  taskQueue?: string;
  json?: boolean;
}

/**
 * Reconciles now (a private worker, a progress bar on the terminal) and writes the report under
 * --out, or creates/updates the Temporal Schedule. The CRM endpoints, credentials, call budgets and
 * contract come from the validated configuration (worker/config.ts), as for the bridge itself.
 */
const DEFAULT_LIMITS = {
  hubspot: { calls: DEFAULT_CALL_BUDGETS.hubspotPer10Seconds, perMs: 10_000 },
  salesforce: { calls: DEFAULT_CALL_BUDGETS.salesforcePerSecond, perMs: 1_000 },
};

export async function reconcileCommand(options: ReconcileOptions): Promise<number> {
  const config = loadConfig(process.env, { linkSigning: 'not-needed' });
  const crm = crmConnectionsFrom(config);
  const input: ReconcileInput = {
    portalId: crm.hubspot.portalId,
    policy: parseRepairPolicy(options.repair ?? config.reconcile.repair),
    handoffTaskQueue: options.taskQueue ?? config.taskQueue,
    windowDays: options.windowDays,
    ...(options.compare ? { compareWithFile: resolve(options.compare) } : {}),
  };
  const contract = loadContract(config.contractPath);
  const client = await connectClientFromEnv();
  try {
    if (options.schedule) {
      const every = options.every ?? config.reconcile.every;
      if (every === 'off') throw new ConfigError(['RECONCILE_EVERY: is off, so there is no cadence to schedule: pass --every, e.g. --every 24h']);
      const { scheduleId, created } = await ensureReconcileSchedule(client, { portalId: input.portalId, every, taskQueue: input.handoffTaskQueue, input });
      console.log(`${created ? 'created' : 'updated'} schedule ${scheduleId}: reconcile every ${every} on task queue ${input.handoffTaskQueue}`);
      return 0;
    }
    Runtime.install({ logger: new DefaultLogger('WARN') });
    const connection = await NativeConnection.connect({ address: config.temporal.address });
    const bar = createProgressBar();
    // One budget per CRM for every call of this run, history reads included. It is this process's own:
    // the scheduled reconciliation, which runs in the workers, shares the replicas' budget instead.
    const budgets = { hubspot: createCallBudget(crm.hubspot.callBudget ?? DEFAULT_LIMITS.hubspot), salesforce: createCallBudget(crm.salesforce.callBudget ?? DEFAULT_LIMITS.salesforce) };
    try {
      const result = await runReconciliation({
        client,
        connection,
        namespace: client.options.namespace,
        deps: {
          hubspot: createHubSpotAdapter({ ...crm.hubspot, budget: budgets.hubspot }),
          salesforce: createSalesforceAdapter({ ...crm.salesforce, budget: budgets.salesforce }),
          reads: createReconcileReadsAdapter({ hubspot: crm.hubspot, salesforce: crm.salesforce, budgets }),
          store: createDirectoryReportStore(resolve(options.out ?? '.')),
          contract: () => contract,
        },
        input,
        ...(config.codec.keys.length ? { dataConverter: dataConverterFor(config.codec.keys) } : {}),
        onProgress: (p) => bar.update(p),
      });
      bar.finish();
      if (options.json) {
        console.log(JSON.stringify(result, null, 2));
        return 0;
      }
      console.log(summaryLines(result));
      // The figures themselves, from the report.json just written: the same numbers every rendering shows.
      const report = JSON.parse(await readFile(join(result.reportDirectory, REPORT_FILES.json), 'utf8')) as ReconcileReport;
      console.log(renderSummary(report));
      return 0;
    } finally {
      await connection.close();
    }
  } finally {
    await client.connection.close();
  }
}

function summaryLines(result: ReconcileResult): string {
  const drift = Object.entries(result.counts).filter(([, n]) => n > 0).map(([c, n]) => `${c} ${n}`).join(', ') || 'none';
  return [
    `reconciled ${result.contacts} HubSpot contacts and ${result.leads} Salesforce leads (${result.apiCalls.hubspot} HubSpot / ${result.apiCalls.salesforce} Salesforce API calls)`,
    `drift: ${drift}; ${result.newCount} new, ${result.repaired} repaired, ${result.repairFailed} repairs failed`,
    `commitments met: ${result.commitmentsMet} of ${result.commitmentsMeasured} measured; ${result.signalsMissing} signals missing`,
    `report: ${result.reportDirectory}`,
  ].join('\n');
}

export function register(program: Command): void {
  const command = program
    .command('reconcile')
    .summary(summary)
    .description(`${summary}. Reads the bridge's environment (docs/operations.md): CRM credentials, HANDOFF_CONTRACT, RECONCILE_REPAIR, RECONCILE_EVERY, TEMPORAL_*.`)
    .option('--out <dir>', 'write the report (Markdown, HTML, CSV, JSON) under DIR/<run id>/ (required unless --schedule)')
    .option('--repair <classes>', `drift classes to repair, comma-separated, or none (default: $RECONCILE_REPAIR, else every repairable class; classes: ${DRIFT_CLASSES.join(', ')})`, validated((v) => (parseRepairPolicy(v), v)))
    .option('--window-days <days>', 'how many days of handoffs the report measures', positiveInteger, 30)
    .option('--compare <report.json>', "an earlier run's report.json to show what changed since")
    .option('--schedule', 'create or update the Temporal Schedule that runs it on the bridge instead of running now')
    .option('--every <cadence>', 'with --schedule: how often, e.g. 6h, 24h, 1d (default: $RECONCILE_EVERY, else 24h)', validated((v) => cadenceSchema.parse(v)))
    .option('--task-queue <name>', `with --schedule: the bridge's task queue (default: $HANDOFF_TASK_QUEUE, else ${HANDOFF_TASK_QUEUE})`)
    .option('--json', 'print the result as JSON (for scripts)');
  withExamples(command, 'reconcile --out reports', 'reconcile --out reports --repair none --json', 'reconcile --schedule --every 6h');
  command.action((options, self) => {
    if (!options.schedule && !options.out) usageError(self, "option '--out <dir>' is required (or --schedule)");
    return exitWith(reconcileCommand(options));
  });
}
