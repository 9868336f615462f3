/**
 * `handoff-bridge reconcile --out <dir>`: reconcile HubSpot and Salesforce now, with a progress bar,
 * and write the report (Markdown, HTML, CSV, JSON) under <dir>/<run id>/. `--schedule` instead
 * creates (or updates) the Temporal Schedule that runs it on the bridge's worker every --every.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { createHubSpotAdapter } from '../../activities/hubspot-adapter';
import { createReconcileReadsAdapter } from '../../activities/reconcile-reads-adapter';
import { createDirectoryReportStore } from '../../activities/reconcile-report-store';
import { ensureReconcileSchedule } from '../../activities/reconcile-schedule';
import { createSalesforceAdapter } from '../../activities/salesforce-adapter';
import { DRIFT_CLASSES, parseRepairPolicy } from '../../mappings/drift';
import { loadContract } from '../../mappings/load';
import type { ReconcileReport } from '../../mappings/metrics-report';
import { HANDOFF_TASK_QUEUE } from '../../workflows/ids';
import type { ReconcileInput } from '../../workflows/reconcile-api';
import { loadClientConfig } from '../config';
import { connectClientFromEnv } from '../temporal-client';
import { REPORT_FILES } from '../report';
import { createProgressBar } from '../report/progress-bar';
import { loadReconcileEnv } from '../report/reconcile-env';
import { runReconciliation } from '../report/reconcile-runner';
import { renderSummary } from '../report/summary';

export const summary = 'reconcile HubSpot and Salesforce now and write the SLA report: reconcile --out <dir> (or --schedule --every 24h)';

const USAGE = `usage: handoff-bridge reconcile --out <dir> [--repair CLASSES|none] [--window-days 30] [--compare earlier/report.json]
       handoff-bridge reconcile --schedule [--every 24h] [--task-queue ${HANDOFF_TASK_QUEUE}] [--repair CLASSES|none]
drift classes: ${DRIFT_CLASSES.join(', ')}
environment: HUBSPOT_ACCESS_TOKEN, HUBSPOT_BASE_URL, HUBSPOT_PORTAL_ID, SALESFORCE_INSTANCE_URL, SALESFORCE_LOGIN_URL,
             SALESFORCE_CLIENT_ID + SALESFORCE_CLIENT_SECRET (or SALESFORCE_ACCESS_TOKEN), HANDOFF_CONTRACT, RECONCILE_REPAIR,
             RECONCILE_EVERY, TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE`;

function parse(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      out: { type: 'string' },
      repair: { type: 'string' },
      'window-days': { type: 'string' },
      compare: { type: 'string' },
      schedule: { type: 'boolean', default: false },
      every: { type: 'string' },
      'task-queue': { type: 'string' },
    },
    strict: true,
  });
  const windowDays = values['window-days'] === undefined ? 30 : Number(values['window-days']);
  if (!Number.isInteger(windowDays) || windowDays <= 0) throw new RangeError('--window-days must be a positive whole number');
  if (!values.schedule && !values.out) throw new RangeError('--out <dir> is required');
  return { ...values, windowDays };
}

export async function run(args: string[]): Promise<number> {
  let options: ReturnType<typeof parse>;
  let env: ReturnType<typeof loadReconcileEnv>;
  let input: ReconcileInput;
  try {
    options = parse(args);
    env = loadReconcileEnv();
    input = {
      portalId: env.HUBSPOT_PORTAL_ID,
      policy: parseRepairPolicy(options.repair ?? env.RECONCILE_REPAIR),
      handoffTaskQueue: options['task-queue'] ?? HANDOFF_TASK_QUEUE,
      windowDays: options.windowDays,
      ...(options.compare ? { compareWithFile: resolve(options.compare) } : {}),
    };
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    return 2;
  }

  const client = await connectClientFromEnv();
  try {
    if (options.schedule) {
      const every = options.every ?? env.RECONCILE_EVERY;
      const { scheduleId, created } = await ensureReconcileSchedule(client, { portalId: env.HUBSPOT_PORTAL_ID, every, taskQueue: input.handoffTaskQueue, input });
      console.log(`${created ? 'created' : 'updated'} schedule ${scheduleId}: reconcile every ${every} on task queue ${input.handoffTaskQueue}`);
      return 0;
    }
    Runtime.install({ logger: new DefaultLogger('WARN') });
    const connection = await NativeConnection.connect({ address: loadClientConfig().temporal.address });
    const bar = createProgressBar();
    try {
      const salesforceOptions = {
        instanceUrl: env.SALESFORCE_INSTANCE_URL,
        loginUrl: env.SALESFORCE_LOGIN_URL,
        apiVersion: env.SALESFORCE_API_VERSION,
        ...(env.SALESFORCE_ACCESS_TOKEN ? { accessToken: env.SALESFORCE_ACCESS_TOKEN } : { clientId: env.SALESFORCE_CLIENT_ID, clientSecret: env.SALESFORCE_CLIENT_SECRET }),
      };
      const hubspotOptions = { accessToken: env.HUBSPOT_ACCESS_TOKEN, basePath: env.HUBSPOT_BASE_URL.replace(/\/+$/, '') };
      const contract = loadContract(env.HANDOFF_CONTRACT);
      const result = await runReconciliation({
        client,
        connection,
        namespace: client.options.namespace,
        deps: {
          hubspot: createHubSpotAdapter(hubspotOptions),
          salesforce: createSalesforceAdapter(salesforceOptions),
          reads: createReconcileReadsAdapter({ hubspot: hubspotOptions, salesforce: salesforceOptions }),
          store: createDirectoryReportStore(resolve(options.out ?? '.')),
          contract: () => contract,
        },
        input,
        onProgress: (p) => bar.update(p),
      });
      bar.finish();
      const drift = Object.entries(result.counts).filter(([, n]) => n > 0).map(([c, n]) => `${c} ${n}`).join(', ') || 'none';
      console.log(
        [
          `reconciled ${result.contacts} HubSpot contacts and ${result.leads} Salesforce leads (${result.apiCalls.hubspot} HubSpot / ${result.apiCalls.salesforce} Salesforce API calls)`,
          `drift: ${drift}; ${result.newCount} new, ${result.repaired} repaired, ${result.repairFailed} repairs failed`,
          `commitments met: ${result.commitmentsMet} of ${result.commitmentsMeasured} measured; ${result.signalsMissing} signals missing`,
          `report: ${result.reportDirectory}`,
        ].join('\n'),
      );
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
