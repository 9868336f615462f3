/**
 * The bridge's workers, wired from ports: orchestration (workflows and bridge-internal activities),
 * routing (the portals' routing queue workflows, on a task queue of their own) and one worker per CRM
 * task queue. The CRM budgets are HTTP-request budgets inside the
 * adapters, leased from keeper workflows shared by every replica (worker/shared-call-budgets.ts), not
 * task-queue activity rates.
 */
import type { Client } from '@temporalio/client';
import { bundleWorkflowCode, Runtime, type NativeConnection, type Worker, type WorkerOptions } from '@temporalio/worker';
import type { Contract } from '../mappings/contract';
import { createBridgeActivities, createHubSpotActivities, createSalesforceActivities, type BridgeDeps, createBridgeLoopActivities, createSalesforceWatchActivities, HEARTBEAT_EVERY_MS, sqlSignalFields } from '../activities/handoff';
import { createCanaryActivities } from '../activities/canary';
import { createContractVersions } from '../activities/contract';
import { createPoolReporter, createPoolSync, type PoolSync } from '../activities/routing';
import { createReconcileActivities, type ReconcileReadsPort, type ReportStore } from '../activities/reconcile';
import { DEFAULT_WORKFLOW_CACHE_SIZE, type WorkerLanes } from './config';
import { REPORT_RENDERERS } from './report';
import type { HubSpotPort, Notifier, SalesforcePort } from '../activities/ports';
import { hotTaskQueue, hubspotTaskQueue, routingTaskQueue, salesforceTaskQueue } from '../api/ids';
import { createBridgeWorker } from './create-worker';
import { wakeRoutingWaits } from './routing-wake';
import { shareWorkflowThread, type WorkflowThreadShare } from './shared-workflow-thread';
import { warmHotLane, type HotLaneWarmUp } from './hot-lane-warm-up';
import { workflowBundleOptions } from './workflow-bundle-options';
import { admissionForCache, type WorkflowAdmission } from './workflow-admission';

/**
 * CRM activities one worker runs at once (Temporal's default is 100). They are not paced by Temporal:
 * each adapter's call budget paces its HTTP requests, and activities waiting for a slot share batch
 * requests, so many of them waiting together is what keeps a burst far below one request per lead.
 * Two of HubSpot's webhook batches (100 events each) fit; more would only queue inside the worker
 * (assignLead also waits its turn at the routing queue), heartbeating while they wait.
 */
export const CRM_ACTIVITY_SLOTS = 200;

/**
 * The CRM workers send each heartbeat their activities make (one every HEARTBEAT_EVERY_MS while an
 * attempt runs long). Core otherwise holds heartbeats back for 0.8 × the heartbeat timeout (24 s of
 * 30 s) after the first one: the server then heard from a waiting attempt at 10 s and 34 s, with 6 s
 * to spare, and under the 10,000-lead burst on the loaded dev server 17 live attempts still timed out.
 */
export const CRM_HEARTBEAT_THROTTLE_MS = HEARTBEAT_EVERY_MS;

/**
 * Workflows the routing worker keeps cached: per portal this deployment serves, its routing queue and
 * its contract registry (asked once per process and contract version).
 */
export const ROUTING_CACHE_SIZE = 10;

export interface BridgeWorkersOptions {
  connection: NativeConnection;
  namespace?: string;
  client: Client;
  taskQueue: string;
  contract: () => Contract;
  hubspot: HubSpotPort;
  salesforce: SalesforcePort;
  notifier: Notifier;
  actionLinks: BridgeDeps['actionLinks'];
  workflowBundle?: { code: string } | { codePath: string };
  /** Workflows the orchestration worker keeps cached (WORKFLOW_CACHE_SIZE); the product default when unset. */
  workflowCacheSize?: number;
  overrides?: Partial<WorkerOptions>;
  /** The HubSpot portal served: the pool's reads are recorded in its routing queue (`leads stuck` shows them). */
  portalId?: string;
  /** Registers the reconciliation's activities (they need the report directory on this worker). */
  reconcile?: { reads: ReconcileReadsPort; store: ReportStore };
  /** Which lanes this process serves (HANDOFF_WORKER_LANES); all of them when unset. */
  lanes?: WorkerLanes;
  /**
   * Runs every workflow worker of the set, the orchestration worker's too, on this share's thread:
   * one thread (and one start, ≈ 38 MB and 0.6–1 s of CPU) where a burst's throughput and a hot
   * lead's latency do not matter, as in the tests, which start workers for almost every case and keep
   * one thread for all of them. Unset: each workflow worker has a thread of its own.
   */
  workflowThread?: WorkflowThreadShare;
}

export interface BridgeWorkers {
  workers: Worker[];
  /** The orchestration worker's admission of new handoffs (for /metrics); none in a hot-lane-only process. */
  admission?: WorkflowAdmission;
  /** The contract's CRM pool as this process last read it (routing.pool; read at start and on its schedule). */
  pool: PoolSync;
  /** How the hot lane's thread was warmed (hot-lane-warm-up.ts); none without a hot lane or on a shared thread. */
  hotLaneWarmUp?: HotLaneWarmUp;
  /** Runs them all until `shutdown()` (or a signal); rejects if any fails. */
  run(): Promise<void>;
  shutdown(): void;
}

/**
 * Priority leads' handoffs the hot lane's worker keeps cached. Its workflow-task slots are bounded by
 * the cache, the lane's polls hold 10 of them, and each eager start (worker/webhook-route.ts
 * hotLaneClient) needs one free: with 20, 7 of a webhook batch's 20 demo requests started eagerly,
 * with 40 all 20 (bench, 2026-12-05).
 */
export const HOT_LANE_CACHE_SIZE = 40;

/**
 * The hot lane's workflow-task polls. A hot batch's first workflow tasks all arrive at once on the
 * lane's non-sticky queue, which the SDK polls with 2 of its 10 pollers by default: the bench's 20
 * waited 5-15 s for them one by one, so most polls go there.
 */
const HOT_LANE_WORKFLOW_SLOTS = { maxCachedWorkflows: HOT_LANE_CACHE_SIZE, maxConcurrentWorkflowTaskPolls: 10, nonStickyToStickyPollRatio: 1 } satisfies Partial<WorkerOptions>;

export async function createBridgeWorkers(options: BridgeWorkersOptions): Promise<BridgeWorkers> {
  const { connection, namespace, taskQueue } = options;
  // Every replica resolves a handoff's pinned contract version from the deployment's registry.
  const versions = createContractVersions(options.contract, { client: options.client, orchestrationQueue: taskQueue });
  // Three workers run workflows (orchestration, its hot lane, routing): bundled once for all of them.
  const workflowBundle = options.workflowBundle ?? { code: (await bundleWorkflowCode(workflowBundleOptions())).code };
  const orchestrationActivities = {
    ...createCanaryActivities(),
    ...createBridgeActivities({ versions, salesforce: options.salesforce, notifier: options.notifier, actionLinks: options.actionLinks, client: options.client }),
    ...createBridgeLoopActivities({ client: options.client, hubspot: options.hubspot }),
  };
  const pool = createPoolSync({
    salesforce: options.salesforce,
    hubspot: options.hubspot,
    contract: options.contract,
    ...(options.portalId ? { report: createPoolReporter({ client: options.client, portalId: options.portalId, orchestrationQueue: taskQueue }) } : {}),
    log: (level, message, meta) => {
      Runtime.instance().logger[level](message, meta);
    },
    onGain: () => {
      const logger = Runtime.instance().logger;
      wakeRoutingWaits(options.client, taskQueue, 'a rep can take leads again in the routing pool').then(
        (woken) => {
          logger.info('routing pool gained a rep: waiting leads woken', { woken });
        },
        (err: unknown) => {
          logger.warn('routing pool gained a rep: waiting leads not woken (they re-check on their own)', { error: err instanceof Error ? err.message : String(err) });
        },
      );
    },
  });
  const hubspotActivities = createHubSpotActivities(options.hubspot, versions);
  const salesforceActivities = {
    ...createSalesforceActivities(options.salesforce, { client: options.client, orchestrationQueue: taskQueue, versions, pool }),
    ...createSalesforceWatchActivities(options.salesforce, () => sqlSignalFields(options.contract())),
  };
  // A priority lead's handoff runs its contact read and assignment as local activities
  // (workflows/activity-profiles.ts hotLaneAssignCall): the workers that run handoffs can run them.
  const handoffActivities = { ...orchestrationActivities, ...hubspotActivities, ...salesforceActivities };
  let stopPool: (() => void) | undefined;
  const lanes = options.lanes ?? 'all';
  // Each of the three workflow workers runs on a workflow thread of its own unless given
  // `workflowThread` (then all run on it, as in the tests). A thread costs ≈ 38 MB before it caches
  // anything, but a shared one runs its Workers' activations one at a time: the hot lane sharing with
  // the routing queues waited behind their 200-request updates at every step, and at 10,000 leads its
  // alerts came at p99 2.15 s instead of 1.82 s (docs/benchmarks.md, "The leases' leak, and the 10,000 again").
  const thread = options.workflowThread ? { workflowThread: options.workflowThread } : {};
  const cacheSize = options.workflowCacheSize ?? DEFAULT_WORKFLOW_CACHE_SIZE;
  const admission = lanes === 'hot' ? undefined : admissionForCache(cacheSize);
  const orchestration =
    admission === undefined
      ? undefined
      : await createBridgeWorker({
          connection,
          namespace,
          taskQueue,
          workflowBundle,
          ...thread,
          activities: {
            ...handoffActivities,
            ...(options.reconcile
              ? createReconcileActivities({
                  hubspot: options.hubspot,
                  salesforce: options.salesforce,
                  reads: options.reconcile.reads,
                  store: options.reconcile.store,
                  client: options.client,
                  contract: options.contract,
                  renderers: REPORT_RENDERERS,
                })
              : {}),
          },
          // A burst's new handoffs wait while the ones in mid-step fill the cache (workflow-admission.ts).
          admission,
          overrides: { maxCachedWorkflows: cacheSize, ...options.overrides },
        });
  // The priority leads' lane (workflows/ids.ts hotTaskQueue): the same workflows and activities on
  // workers of their own, sharing this process's CRM adapters and so their call budgets.
  const hot = hotTaskQueue(taskQueue);
  // A thread of its own, held through a share of its own so the warm-up's replays run on it (hot-lane-warm-up.ts).
  const hotThread = options.workflowThread ?? shareWorkflowThread();
  const hotOrchestration =
    lanes === 'main'
      ? undefined
      : await createBridgeWorker({
          connection,
          namespace,
          taskQueue: hot,
          workflowBundle,
          activities: handoffActivities,
          workflowThread: hotThread,
          // While a priority lead is in mid-step, this process's orchestration worker holds its tasks (workflow-admission.ts).
          ...(admission ? { reportLoadTo: admission.prioritySinks } : {}),
          overrides: { ...HOT_LANE_WORKFLOW_SLOTS, ...options.overrides },
        });
  // Warmed before it polls, when the thread is the lane's alone (the tests share theirs, already warm).
  const hotLaneWarmUp = hotOrchestration && !options.workflowThread ? await warmHotLane({ thread: hotThread, workflowBundle }) : undefined;
  if (hotLaneWarmUp) {
    const logger = Runtime.instance().logger;
    if ('failed' in hotLaneWarmUp) logger.warn('hot lane not warmed: its first priority leads run its code cold', { reason: hotLaneWarmUp.failed, ms: hotLaneWarmUp.ms });
    else logger.info('hot lane warmed: a recorded priority handoff replayed on its thread', hotLaneWarmUp);
  }
  // After the hot lane: a shared thread takes the local activities it may run from the first Worker.
  // The routing queues alone, cached for good: one per portal, so a handful of cache slots suffice.
  const routing =
    lanes === 'hot'
      ? undefined
      : await createBridgeWorker({
          connection,
          namespace,
          taskQueue: routingTaskQueue(taskQueue),
          workflowBundle,
          ...thread,
          overrides: { maxCachedWorkflows: ROUTING_CACHE_SIZE, ...options.overrides },
        });
  const crmWorker = (queue: string, activities: object) =>
    createBridgeWorker({ connection, namespace, taskQueue: queue, activitiesOnly: true, activities, overrides: { maxConcurrentActivityTaskExecutions: CRM_ACTIVITY_SLOTS, maxHeartbeatThrottleInterval: CRM_HEARTBEAT_THROTTLE_MS, ...options.overrides } });
  const crmQueues = [...(lanes === 'hot' ? [] : [taskQueue]), ...(lanes === 'main' ? [] : [hot])];
  const crmWorkers = (
    await Promise.all(crmQueues.map((queue) => [crmWorker(hubspotTaskQueue(queue), hubspotActivities), crmWorker(salesforceTaskQueue(queue), salesforceActivities)]).flat())
  );
  const workflowWorkers = [orchestration, hotOrchestration, routing].filter((w): w is Worker => w !== undefined);
  let crmStopped: Promise<unknown> | undefined;
  return {
    workers: [...workflowWorkers, ...crmWorkers],
    ...(admission ? { admission } : {}),
    ...(hotLaneWarmUp ? { hotLaneWarmUp } : {}),
    pool,
    run: async () => {
      stopPool = pool.start();
      const crm = Promise.all(crmWorkers.map((w) => w.run()));
      crmStopped = crm.catch(() => undefined);
      await Promise.all([...workflowWorkers.map((w) => w.run()), crm]);
    },
    /**
     * The CRM workers drain first, the orchestration worker after them: a Salesforce activity in flight
     * (assignLead) may be waiting on the routing queue, a workflow this process's orchestration worker
     * serves, and would otherwise hang until its timeout.
     */
    shutdown: () => {
      stopPool?.();
      for (const w of crmWorkers) if (w.getState() === 'RUNNING') w.shutdown();
      const stopOrchestration = (): void => {
        for (const w of workflowWorkers) if (w.getState() === 'RUNNING') w.shutdown();
      };
      if (crmStopped) void crmStopped.then(stopOrchestration);
      else stopOrchestration();
    },
  };
}
