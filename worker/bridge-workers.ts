/**
 * The bridge's workers, wired from ports: orchestration (workflows and bridge-internal activities),
 * routing (the portals' routing queue workflows, on a task queue of their own) and one worker per CRM
 * task queue. The CRM budgets are HTTP-request budgets inside the
 * adapters, leased from keeper workflows shared by every replica (worker/shared-call-budgets.ts), not
 * task-queue activity rates.
 */
import type { Client } from '@temporalio/client';
import type { NativeConnection, Worker, WorkerOptions } from '@temporalio/worker';
import type { Contract } from '../mappings/schema';
import { createBridgeActivities, createHubSpotActivities, createSalesforceActivities, type BridgeDeps } from '../activities/handoff-activities';
import { createBridgeLoopActivities, createSalesforceWatchActivities, sqlSignalFields } from '../activities/loop-activities';
import { createCanaryActivities } from '../activities/canary';
import { createReconcileActivities } from '../activities/reconcile-activities';
import type { ReconcileReadsPort, ReportStore } from '../activities/reconcile-ports';
import { DEFAULT_WORKFLOW_CACHE_SIZE } from './config';
import { REPORT_RENDERERS } from './report';
import type { HubSpotPort, Notifier, SalesforcePort } from '../activities/ports';
import { hubspotTaskQueue, routingTaskQueue, salesforceTaskQueue } from '../workflows/ids';
import { createBridgeWorker } from './create-worker';

/**
 * CRM activities one worker runs at once (Temporal's default is 100). They are not paced by Temporal:
 * each adapter's call budget paces its HTTP requests, and activities waiting for a slot share batch
 * requests, so many of them waiting together is what keeps a burst far below one request per lead.
 * Two of HubSpot's webhook batches (100 events each) fit; more would only queue inside the worker
 * against the 30 s start-to-close timeout (assignLead also waits its turn at the routing queue).
 */
export const CRM_ACTIVITY_SLOTS = 200;

/** Routing queue workflows the routing worker keeps cached (one per portal this deployment serves). */
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
  /** Registers the reconciliation's activities (they need the report directory on this worker). */
  reconcile?: { reads: ReconcileReadsPort; store: ReportStore };
}

export interface BridgeWorkers {
  workers: Worker[];
  /** Runs all three until `shutdown()` (or a signal); rejects if any fails. */
  run(): Promise<void>;
  shutdown(): void;
}

export async function createBridgeWorkers(options: BridgeWorkersOptions): Promise<BridgeWorkers> {
  const { connection, namespace, taskQueue } = options;
  const orchestration = await createBridgeWorker({
    connection,
    namespace,
    taskQueue,
    workflowBundle: options.workflowBundle,
    activities: {
      ...createCanaryActivities(),
      ...createBridgeActivities({ contract: options.contract, salesforce: options.salesforce, notifier: options.notifier, actionLinks: options.actionLinks }),
      ...createBridgeLoopActivities({ client: options.client, hubspot: options.hubspot }),
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
    overrides: { maxCachedWorkflows: options.workflowCacheSize ?? DEFAULT_WORKFLOW_CACHE_SIZE, ...options.overrides },
  });
  // The routing queues alone, cached for good: one per portal, so a handful of cache slots suffice.
  const routing = await createBridgeWorker({
    connection,
    namespace,
    taskQueue: routingTaskQueue(taskQueue),
    workflowBundle: options.workflowBundle,
    overrides: { maxCachedWorkflows: ROUTING_CACHE_SIZE, ...options.overrides },
  });
  const hubspotWorker = await createBridgeWorker({
    connection,
    namespace,
    taskQueue: hubspotTaskQueue(taskQueue),
    activitiesOnly: true,
    activities: createHubSpotActivities(options.hubspot, options.contract),
    overrides: { maxConcurrentActivityTaskExecutions: CRM_ACTIVITY_SLOTS, ...options.overrides },
  });
  const salesforceWorker = await createBridgeWorker({
    connection,
    namespace,
    taskQueue: salesforceTaskQueue(taskQueue),
    activitiesOnly: true,
    activities: {
      ...createSalesforceActivities(options.salesforce, { client: options.client, orchestrationQueue: taskQueue }),
      ...createSalesforceWatchActivities(options.salesforce, () => sqlSignalFields(options.contract())),
    },
    overrides: { maxConcurrentActivityTaskExecutions: CRM_ACTIVITY_SLOTS, ...options.overrides },
  });
  const crmWorkers = [hubspotWorker, salesforceWorker];
  let crmStopped: Promise<unknown> | undefined;
  return {
    workers: [orchestration, routing, ...crmWorkers],
    run: async () => {
      const crm = Promise.all(crmWorkers.map((w) => w.run()));
      crmStopped = crm.catch(() => undefined);
      await Promise.all([orchestration.run(), routing.run(), crm]);
    },
    /**
     * The CRM workers drain first, the orchestration worker after them: a Salesforce activity in flight
     * (assignLead) may be waiting on the routing queue, a workflow this process's orchestration worker
     * serves, and would otherwise hang until its timeout.
     */
    shutdown: () => {
      for (const w of crmWorkers) if (w.getState() === 'RUNNING') w.shutdown();
      const stopOrchestration = (): void => {
        for (const w of [orchestration, routing]) if (w.getState() === 'RUNNING') w.shutdown();
      };
      if (crmStopped) void crmStopped.then(stopOrchestration);
      else stopOrchestration();
    },
  };
}
