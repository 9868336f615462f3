/**
 * A bridge worker in a process of its own: the same three workers startBridge runs (orchestration and
 * the two rate-limited CRM queues), on the real adapters, so the parent can measure its memory alone
 * or kill it with SIGKILL. Started by worker-process.ts; talks to its parent over IPC.
 */
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type ActivityInterceptorsFactory } from '@temporalio/worker';
import { hotTaskQueue, routingTaskQueue } from '../../api/ids';
import { createHubSpotAdapter, createSalesforceAdapter } from '../../activities/crm';
import { createNotifier, actionUrls } from '../../activities/notify';
import { createBridgeWorkers } from '../../worker/bridge-workers';
import { freePort } from '../../worker/dev-server';
import { temporalExporterAddress, temporalTelemetryOptions } from '../../worker/metrics';
import { priorityLeadsFrom } from '../../worker/priority-leads';
import { createSharedBudgets } from '../../worker/shared-call-budgets';
import { startIngress } from './ingress';
import { contractFromJson } from './portal';
import { WORKER_SPEC_ENV, workerSpecSchema, type BudgetUses, type CacheUse, type LocalActivityTime, type ParentMessage, type WorkerMessage } from './worker-spec';

/** The links are never followed in a benchmark; any 32+ character secret signs them. */
const LINK_SECRET = 'benchmark-link-signing-secret-0123456789';

function peakRssBytes(): number {
  const line = readFileSync('/proc/self/status', 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'));
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? 0) * 1024;
}

// How long the main thread's work (Core's activations, activities, codecs) kept ready callbacks waiting.
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
const loopDelayMs = () => ({ p50Ms: loopDelay.percentile(50) / 1e6, p99Ms: loopDelay.percentile(99) / 1e6, maxMs: loopDelay.max / 1e6 });

function tell(message: WorkerMessage): void {
  process.send?.(message);
}

// Activity retries (429s, 5xx) are expected here and each would log a warning: errors only. The
// Runtime's metrics as the product exports them (its exporter one port above METRICS_PORT, here a
// free one), read back for the workflow cache's counters.
const metricsPort = (await freePort()) - 1;
Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { metrics: temporalTelemetryOptions(metricsPort).metrics } });
const spec = workerSpecSchema.parse(JSON.parse(process.env[WORKER_SPEC_ENV] ?? '{}'));
const contract = contractFromJson(readFileSync(spec.contractFile, 'utf8'));
const connection = await NativeConnection.connect({ address: spec.temporalAddress });
const client = new Client({ connection: await Connection.connect({ address: spec.temporalAddress }) });
// Each budget's leases and a priority lead's waits for a call, as /metrics would show them.
const unused = () => ({ leases: 0, failed: 0, slowestLeaseMs: 0, urgentCalls: 0, urgentWaitMaxMs: 0 });
const budgetUse: BudgetUses = { hubspot: unused(), salesforce: unused() };
// Shared with the run's other worker processes and its ingress, as the product's replicas share them.
const budgets = createSharedBudgets({
  observe: (system) => {
    const use = budgetUse[system];
    return {
      leased: (ms, outcome) => {
        use.leases += 1;
        if (outcome === 'failed') use.failed += 1;
        use.slowestLeaseMs = Math.max(use.slowestLeaseMs, ms);
      },
      waited: (ms, urgent) => {
        if (!urgent) return;
        use.urgentCalls += 1;
        use.urgentWaitMaxMs = Math.max(use.urgentWaitMaxMs, ms);
      },
    };
  },
  client,
  taskQueue: spec.taskQueue,
  portalId: spec.portalId,
  hubspot: { calls: spec.budgets.hubspotPer10Seconds, perMs: 10_000 },
  salesforce: { calls: spec.budgets.salesforcePerSecond, perMs: 1_000 },
});
// The hot lane's local activities on the wall clock (hot-timeline.ts): a handful per priority lead.
const hotQueue = hotTaskQueue(spec.taskQueue);
const hotLocalActivities: Record<string, LocalActivityTime[]> = {};
const timeHotLocalActivities: ActivityInterceptorsFactory = (ctx) => ({
  inbound: {
    async execute(input, next) {
      const { isLocal, taskQueue, activityType, workflowExecution } = ctx.info;
      if (!isLocal || taskQueue !== hotQueue || !workflowExecution) return next(input);
      const startedAt = Date.now();
      try {
        return await next(input);
      } finally {
        (hotLocalActivities[workflowExecution.workflowId] ??= []).push({ type: activityType, startedAt, endedAt: Date.now() });
      }
    },
  },
});
const hubspot = createHubSpotAdapter({ accessToken: spec.hubspot.accessToken, basePath: spec.hubspot.baseUrl, budget: budgets.hubspot });
const workers = await createBridgeWorkers({
  connection,
  client,
  taskQueue: spec.taskQueue,
  contract: () => contract,
  hubspot,
  salesforce: createSalesforceAdapter({
    instanceUrl: spec.salesforce.instanceUrl,
    loginUrl: spec.salesforce.instanceUrl,
    clientId: spec.salesforce.clientId,
    clientSecret: spec.salesforce.clientSecret,
    budget: budgets.salesforce,
    ...(spec.salesforceLimitRetryMs ? { rateLimitRetryDelayMs: spec.salesforceLimitRetryMs } : {}),
  }),
  notifier: createNotifier({ from: 'handoff-bridge@bench.example' }),
  actionLinks: (link) => actionUrls('http://127.0.0.1:8787', link, LINK_SECRET),
  workflowBundle: { codePath: spec.bundlePath },
  workflowCacheSize: spec.maxCachedWorkflows,
  ...(spec.lanes ? { lanes: spec.lanes } : {}),
  overrides: { interceptors: { activity: [timeHotLocalActivities] } },
});

const running = workers.run();
// The ingress as startBridge composes it with HANDOFF_MODE=all: this process's adapters, and its hot
// lane's NativeConnection for the priority leads' eager starts.
const ingress = spec.ingress
  ? await startIngress({
      client,
      taskQueue: spec.taskQueue,
      portalId: spec.portalId,
      clientSecret: spec.ingress.clientSecret,
      priorityLeads: priorityLeadsFrom({ hubspot, contract: () => contract }),
      ...(spec.lanes !== 'main' ? { hotLaneClient: new Client({ connection }) } : {}),
    })
  : undefined;

/** The routing queues' own task queue, whose worker's cache the run reports beside the handoffs'. */
const routingQueue = routingTaskQueue(spec.taskQueue);

/** Sums a Core counter over one task queue's series (the orchestration queue unless told). */
function counterOnQueue(text: string, name: string, queue = spec.taskQueue): number {
  const series = new RegExp(`^${name}\\{[^}]*task_queue="${queue}"[^}]*\\} (\\d+)$`, 'gm');
  let sum = 0;
  for (const match of text.matchAll(series)) sum += Number(match[1]);
  return sum;
}

async function cacheUse(): Promise<CacheUse | undefined> {
  try {
    const text = await (await fetch(`http://${temporalExporterAddress(metricsPort)}/metrics`)).text();
    return {
      hits: counterOnQueue(text, 'temporal_sticky_cache_hit_total'),
      misses: counterOnQueue(text, 'temporal_sticky_cache_miss_total'),
      forcedEvictions: counterOnQueue(text, 'temporal_sticky_cache_total_forced_eviction_total'),
      // The routing queues replay a history of hundreds of KB when their worker's cache lost them.
      routing: {
        hits: counterOnQueue(text, 'temporal_sticky_cache_hit_total', routingQueue),
        misses: counterOnQueue(text, 'temporal_sticky_cache_miss_total', routingQueue),
      },
      ...(workers.admission ? { admission: workers.admission.state() } : {}),
    };
  } catch {
    return undefined;
  }
}

process.on('message', (message: ParentMessage) => {
  if (message.type === 'memory') {
    const { rss, heapUsed, heapTotal } = process.memoryUsage();
    const memory = { rssBytes: rss, peakRssBytes: peakRssBytes(), mainHeap: { usedBytes: heapUsed, totalBytes: heapTotal }, loopDelay: loopDelayMs() };
    void cacheUse().then((cache) => {
      tell({ type: 'memory', ...memory, ...(cache ? { cache } : {}), budgets: budgetUse, hotLocalActivities });
    });
  }
  // As the bridge stops: no new webhooks, then the workers drain.
  if (message.type === 'stop') void (ingress?.close() ?? Promise.resolve()).finally(() => workers.shutdown());
});
tell({ type: 'ready', ...(ingress ? { ingressUrl: ingress.url } : {}) });
await running;
await budgets.stop();
await connection.close();
await client.connection.close();
process.disconnect?.();
