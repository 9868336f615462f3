/**
 * Burst: N MQLs announced at once through signed webhooks, with the sandboxes enforcing HubSpot's
 * 190 requests / 10 s and a Salesforce daily allocation. Measures the time until every lead has an
 * owner in Salesforce, the least time the call budgets allow for the requests made until then, CRM
 * calls per handoff per system (counted on the wire), 429s, and whether any reached a workflow as a
 * failure.
 */
import { getPriority } from 'node:os';
import type { Client } from '@temporalio/client';
import { callSpacingMs, DEFAULT_CALL_BUDGETS } from '../activities/crm';
import { SALESFORCE_LEAD_FIELDS as SF } from '../mappings/crm';
import { startBridgeRun } from './support/bridge-run';
import { describeTimelines, hotLeadTimeline } from './support/hot-timeline';
import { HOT_LEAD_PROPERTIES } from './support/portal';
import { describeHotRoutingTasks, routingStats, type RoutingStats } from './support/routing-stats';
import type { BudgetUse, BudgetUses, CacheUse, WorkerSpec } from './support/worker-spec';
import { waitUntil } from './support/stats';
import { cpuMeter } from './support/cpu';

export interface BurstOptions {
  client: Client;
  temporalAddress: string;
  bundlePath: string;
  scratchDir: string;
  leads: number;
  timeoutMs: number;
  budgets?: WorkerSpec['budgets'];
  maxCachedWorkflows?: number;
  /** Worker processes sharing the call budgets; 1 when unset. */
  workerProcesses?: number;
  /** Priority leads (a demo request) announced `hotAfterMs` into the burst, one webhook batch. */
  hotLeads?: number;
  hotAfterMs?: number;
  /** The server's process, for its CPU seconds (the dev server). */
  serverPid?: number;
  /** The hot lane in a worker process of its own (bridge-run.ts). */
  hotLaneProcess?: boolean;
  /** Niceness of the main worker processes (bridge-run.ts). */
  workerNice?: number;
  /** Print every hot lead's timeline, not only the slowest one's. */
  everyHotTimeline?: boolean;
  /** The webhooks served by the worker process running the hot lane (bridge-run.ts). */
  ingressInWorker?: boolean;
}

export interface BurstResult {
  leads: number;
  assigned: number;
  allAssignedMs: number | undefined;
  /**
   * The least time the call budgets allow for the requests made until every lead was assigned: the
   * budgets space requests evenly, so n requests take at least (n − 1) spacings on the busier system.
   */
  budgetBoundMs: number;
  hubspotCallsUntilAssigned: number;
  salesforceCallsUntilAssigned: number;
  hubspotCalls: number;
  /** HubSpot answers 429 (Salesforce refuses only once its allocation is spent: see salesforceAllocation). */
  hubspotRateLimited: number;
  busiestHubspot10s: number;
  /** Salesforce calls counted against the org's allocation (every REST call counts). */
  salesforceAllocation: { used: number; limit: number };
  failedHandoffs: number;
  workerRssBytes: number;
  workerPeakRssBytes: number;
  /** The hot lane's own process, when the run split it off. */
  hotWorkerRssBytes: number | undefined;
  /** Each priority lead's webhook sent → its rep's alert received, ms. */
  hotAlertLatencies: number[];
  /** Where the hot leads' time went, phase by phase, from their histories (bench/support/hot-timeline.ts). */
  hotTimeline: string[];
  routing: RoutingStats;
  /** CPU seconds from the first webhook until every lead's alert arrived: the (first) worker process and the server. */
  cpu: Record<string, number | undefined>;
  /** Niceness the (first) main worker process ran at, read from the process. */
  workerNiceness: number;
  /** Handoffs the ingress started eagerly (the server's answers, summed): the hot ones when it shares their worker's process. */
  eagerlyStarted: number;
}


/** The product's defaults (HUBSPOT_CALLS_PER_10_SECONDS, SALESFORCE_CALLS_PER_SECOND). */
export const DEFAULT_BUDGETS: WorkerSpec['budgets'] = { ...DEFAULT_CALL_BUDGETS };

/** The orchestration worker's cache over the run (and the routing queues'): how many workflow tasks replayed a history, and how the admission paced new handoffs. */
function cacheLine(cache: CacheUse): string {
  const tasks = cache.hits + cache.misses;
  const missShare = tasks ? ` (${((100 * cache.misses) / tasks).toFixed(1)} % of ${tasks} workflow tasks)` : '';
  const admission = cache.admission ? `; admission: ${cache.admission.heldBack} held back, ${cache.admission.waitedOut} waited out (busy limit ${cache.admission.busyLimit}), ${cache.admission.heldForPriority} held for priority leads' steps` : '';
  const routing = cache.routing ? `; routing queues: ${cache.routing.hits} hits, ${cache.routing.misses} misses` : '';
  return `  worker workflow cache over the run: ${cache.hits} hits, ${cache.misses} misses${missShare}, ${cache.forcedEvictions} forced evictions${routing}${admission}`;
}

/** The worker's shared call budgets: how slow the keeper was to grant, and how long a priority lead's call waited for one. */
function budgetLine(budgets: BudgetUses): string {
  const one = (name: string, use: BudgetUse) =>
    `${name} ${use.leases} leases, slowest ${use.slowestLeaseMs} ms${use.failed ? ` (${use.failed} failed)` : ''}, priority calls ${use.urgentCalls} waited ≤ ${use.urgentWaitMaxMs} ms`;
  return `  worker call budgets over the run: ${one('HubSpot', budgets.hubspot)}; ${one('Salesforce', budgets.salesforce)}`;
}

export async function runBurst(options: BurstOptions): Promise<BurstResult> {
  const budgets = options.budgets ?? DEFAULT_BUDGETS;
  const run = await startBridgeRun({ ...options, budgets });
  try {
    const contactIds = Array.from({ length: options.leads }, () => run.createMql());
    const hotIds = Array.from({ length: options.hotLeads ?? 0 }, () => run.createMql(HOT_LEAD_PROPERTIES()));
    const total = options.leads + hotIds.length;
    const leads = run.sandboxes.salesforce.store;
    const assignedCount = (): number => leads.list('Lead').filter((lead) => lead.fields[SF.assignedAt]).length;
    const started = Date.now();
    const workerNiceness = getPriority(run.worker.pid);
    const cpuUsed = cpuMeter({ worker: run.worker.pid, ...(run.hotWorker ? { 'hot-lane worker': run.hotWorker.pid } : {}), server: options.serverPid });
    let hotSentAt = 0;
    const hot = hotIds.length
      ? new Promise<void>((resolve, reject) => {
          setTimeout(() => {
            hotSentAt = Date.now();
            run.announceMqls(hotIds, 1).then(resolve, reject);
          }, options.hotAfterMs ?? 10_000);
        })
      : Promise.resolve();
    await Promise.all([run.announceMqls(contactIds), hot]);
    let allAssignedMs: number | undefined;
    let hubspotCallsUntilAssigned = 0;
    let salesforceCallsUntilAssigned = 0;
    await waitUntil(() => {
      hubspotCallsUntilAssigned = run.recorder.calls.length;
      salesforceCallsUntilAssigned = run.sandboxes.salesforce.usage.used();
      if (assignedCount() < total) return false;
      allAssignedMs = Date.now() - started;
      return true;
    }, options.timeoutMs, 250);
    // Let the writes after assignment (stamps, alerts) finish before counting calls per handoff.
    await waitUntil(() => run.inbox.firstAlert.size >= total, 120_000, 250);
    const cpu = cpuUsed();
    const hotAlertLatencies = hotIds.flatMap((id) => {
      const alertedAt = run.inbox.firstAlert.get(run.workflowIdOf(id));
      return alertedAt === undefined ? [] : [alertedAt - hotSentAt];
    });
    const memory = await run.worker.memory();
    const hotMemory = await run.hotWorker?.memory();
    // The hot lane's local activities as the process running it timed them (worker-child.ts).
    const timed = { ...memory.hotLocalActivities, ...hotMemory?.hotLocalActivities };
    const timelines = await Promise.all(
      hotIds.map((id) => {
        const workflowId = run.workflowIdOf(id);
        return hotLeadTimeline(run.client, workflowId, hotSentAt, run.inbox.firstAlert.get(workflowId), timed[workflowId]);
      }),
    );
    // Every handoff's history: the issue's check is that no activity anywhere timed out and retried.
    const sample = [...hotIds, ...contactIds].map((id) => run.workflowIdOf(id));
    const routing = await routingStats(run.client, run.portalId, sample);
    const hotRouting = describeHotRoutingTasks(routing.updateTasks, hotIds.map((id) => run.workflowIdOf(id)), hotSentAt);
    const workerRssBytes = memory.rssBytes;

    const budgetBoundMs = Math.max(
      Math.max(0, hubspotCallsUntilAssigned - 1) * callSpacingMs({ calls: budgets.hubspotPer10Seconds, perMs: 10_000 }),
      Math.max(0, salesforceCallsUntilAssigned - 1) * callSpacingMs({ calls: budgets.salesforcePerSecond, perMs: 1_000 }),
    );
    const failed = await run.client.workflow.count(`WorkflowId STARTS_WITH "handoff:${run.portalId}:" AND ExecutionStatus != "Running" AND ExecutionStatus != "Completed"`);
    return {
      leads: total,
      workerNiceness,
      eagerlyStarted: run.eagerlyStarted,
      assigned: assignedCount(),
      allAssignedMs,
      budgetBoundMs,
      hubspotCallsUntilAssigned,
      salesforceCallsUntilAssigned,
      hubspotCalls: run.recorder.calls.length,
      hubspotRateLimited: run.recorder.rateLimited(),
      busiestHubspot10s: run.recorder.busiestWindow(10_000),
      salesforceAllocation: { used: run.sandboxes.salesforce.usage.used(), limit: run.sandboxes.salesforce.usage.limit },
      failedHandoffs: failed.count,
      workerRssBytes,
      workerPeakRssBytes: memory.peakRssBytes,
      hotWorkerRssBytes: hotMemory?.rssBytes,
      hotAlertLatencies,
      hotTimeline: [
        ...describeTimelines(timelines, 'hot leads', options.everyHotTimeline),
        ...hotRouting,
        ...(memory.loopDelay
          ? [`  worker main thread, event-loop delay over the run     p50 ${memory.loopDelay.p50Ms.toFixed(0)} ms  p99 ${memory.loopDelay.p99Ms.toFixed(0)} ms  max ${memory.loopDelay.maxMs.toFixed(0)} ms`]
          : []),
        ...(memory.cache ? [cacheLine(memory.cache)] : []),
        ...(memory.budgets ? [budgetLine(memory.budgets)] : []),
        ...(hotMemory?.loopDelay
          ? [`  hot-lane process main thread, event-loop delay        p50 ${hotMemory.loopDelay.p50Ms.toFixed(0)} ms  p99 ${hotMemory.loopDelay.p99Ms.toFixed(0)} ms  max ${hotMemory.loopDelay.maxMs.toFixed(0)} ms`]
          : []),
      ],
      routing,
      cpu,
    };
  } finally {
    await run.stop();
  }
}
