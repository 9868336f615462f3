/**
 * One bridge under load: the sandboxes (HubSpot behind a traffic recorder), the webhook ingress in
 * this process, the workers in one or more child processes (replicas sharing the CRM call budgets
 * through their keepers), and an inbox for the rep alerts. Every benchmark and
 * chaos scenario starts one, drives it through HubSpot webhooks and reads the outcome back.
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { createHubSpotAdapter } from '../../activities/crm';
import { handoffWorkflowId } from '../../api/ids';
import { priorityLeadsFrom } from '../../worker/priority-leads';
import { createSharedBudgets, INGRESS_BUDGET_WAIT_MS, type SharedBudgets } from '../../worker/shared-call-budgets';
import { startAlertInbox, type AlertInbox } from './inbox';
import { mqlEvent, sendWebhook, startIngress, type Ingress } from './ingress';
import { contractJson, startBenchPortal, type BenchPortal, type BenchPortalOptions } from './portal';
import { startTrafficRecorder, type TrafficRecorder } from './traffic-recorder';
import { startWorkerProcess, type WorkerProcess } from './worker-process';
import type { WorkerSpec } from './worker-spec';

/** Deliveries of one webhook batch before the run gives up. */
const WEBHOOK_ATTEMPTS = 8;

export interface BridgeRunOptions extends Omit<BenchPortalOptions, 'inboxUrl'> {
  client: Client;
  temporalAddress: string;
  bundlePath: string;
  /** A folder for the run's files (the contract handed to the worker). */
  scratchDir: string;
  budgets: WorkerSpec['budgets'];
  /** Worker processes (replicas) side by side; 1 when unset. */
  workerProcesses?: number;
  maxCachedWorkflows?: number;
  salesforceLimitRetryMs?: number;
  /** Runs the hot lane in a worker process of its own (HANDOFF_WORKER_LANES=hot beside main ones). */
  hotLaneProcess?: boolean;
  /** Niceness of the main worker processes (not the hot lane's): `--worker-nice`. */
  workerNice?: number;
  /**
   * Serves the webhooks from the worker process that runs the hot lane, as HANDOFF_MODE=all does
   * (priority leads then start eagerly on it), rather than from this process as a separate ingress
   * deployment would: `--ingress worker`.
   */
  ingressInWorker?: boolean;
}

export interface BridgeRun extends BenchPortal {
  client: Client;
  taskQueue: string;
  inbox: AlertInbox;
  ingress: Ingress;
  /** HubSpot's traffic as it crossed the wire (Salesforce counts its own calls: usage and requests). */
  recorder: TrafficRecorder;
  /** The first worker process: the one a chaos run kills and a benchmark weighs. */
  worker: WorkerProcess;
  /** Every worker process, the first included. */
  workers: WorkerProcess[];
  /** The hot lane's own process, when the run splits it off (hotLaneProcess). */
  hotWorker: WorkerProcess | undefined;
  /** Starts a fresh first worker process (after a kill); the old one must have exited. */
  restartWorker(): Promise<WorkerProcess>;
  workflowIdOf(contactId: string): string;
  /** Handoffs the ingress started eagerly on its process's hot lane (its answers' eagerlyStarted, summed). */
  eagerlyStarted: number;
  /** Sends MQL webhooks for `contactIds`, in HubSpot's batches of up to 100, `parallel` requests at a time. */
  announceMqls(contactIds: string[], parallel?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startBridgeRun(options: BridgeRunOptions): Promise<BridgeRun> {
  const inbox = await startAlertInbox();
  const portal = await startBenchPortal({ ...options, inboxUrl: inbox.url });
  const { hubspot, salesforce } = portal.sandboxes;
  const recorder = await startTrafficRecorder(hubspot.baseUrl);
  const taskQueue = `bench-${randomUUID()}`;
  const contractFile = join(options.scratchDir, `contract-${taskQueue}.json`);
  writeFileSync(contractFile, contractJson(portal.contract));
  const spec: WorkerSpec = {
    temporalAddress: options.temporalAddress,
    taskQueue,
    portalId: portal.portalId,
    bundlePath: options.bundlePath,
    contractFile,
    hubspot: { baseUrl: recorder.url, accessToken: hubspot.accessToken },
    salesforce: { instanceUrl: salesforce.instanceUrl, clientId: salesforce.clientId, clientSecret: salesforce.clientSecret },
    budgets: options.budgets,
    ...(options.maxCachedWorkflows === undefined ? {} : { maxCachedWorkflows: options.maxCachedWorkflows }),
    ...(options.salesforceLimitRetryMs ? { salesforceLimitRetryMs: options.salesforceLimitRetryMs } : {}),
  };
  // In this process, the ingress reads each webhook batch's contacts once to start priority leads at
  // the top priority, through the recorder (its calls count) and the HubSpot budget the workers share,
  // as startBridge does with HANDOFF_MODE=ingress.
  const own = options.ingressInWorker ? undefined : await startOwnIngress(options, { taskQueue, portal, hubspotUrl: recorder.url });
  const withIngress: Pick<WorkerSpec, 'ingress'> = options.ingressInWorker ? { ingress: { clientSecret: hubspot.clientSecret } } : {};
  const mainSpec: WorkerSpec = options.hotLaneProcess ? { ...spec, lanes: 'main' } : { ...spec, ...withIngress };
  const mainOptions = { nice: options.workerNice ?? 0 };
  const workers = Array.from({ length: Math.max(1, options.workerProcesses ?? 1) }, (_, i) => startWorkerProcess(i === 0 ? mainSpec : { ...mainSpec, ingress: undefined }, mainOptions));
  const hotWorker = options.hotLaneProcess ? startWorkerProcess({ ...spec, ...withIngress, lanes: 'hot' }) : undefined;
  const ingress: Ingress = own?.ingress ?? { url: '', close: async () => undefined };
  const run: BridgeRun = {
    ...portal,
    client: options.client,
    taskQueue,
    inbox,
    ingress,
    recorder,
    worker: workers[0] as WorkerProcess,
    workers,
    hotWorker,
    async restartWorker() {
      run.worker = startWorkerProcess(mainSpec, mainOptions);
      workers[0] = run.worker;
      const { ingressUrl } = await run.worker.ready;
      // A restarted process serving the webhooks listens on a new port.
      if (ingressUrl) ingress.url = ingressUrl;
      return run.worker;
    },
    workflowIdOf: (contactId) => handoffWorkflowId({ portalId: portal.portalId, contactId }),
    eagerlyStarted: 0,
    async announceMqls(contactIds, parallel = 4) {
      const batches: string[][] = [];
      for (let i = 0; i < contactIds.length; i += 100) batches.push(contactIds.slice(i, i + 100));
      const send = async (): Promise<void> => {
        for (let batch = batches.shift(); batch; batch = batches.shift()) {
          const events = batch.map((id) => mqlEvent(portal.portalId, id));
          // HubSpot retries a delivery that failed or timed out; a retried batch starts nothing twice.
          let status = 0;
          for (let attempt = 1; status !== 200; attempt++) {
            // A loaded machine (other benchmarks beside this one) sees the ingress drop a connection now
            // and then ("other side closed"): HubSpot retries for hours, so give it more than a blink.
            const answer = await sendWebhook(ingress.url, events, hubspot.clientSecret).catch(async (error: unknown) => {
              if (attempt >= WEBHOOK_ATTEMPTS) throw error;
              await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
              return { status: 0, eagerlyStarted: 0 };
            });
            status = answer.status;
            run.eagerlyStarted += answer.eagerlyStarted;
            if (status !== 200 && status !== 0) throw new Error(`the ingress answered ${status} to a signed MQL webhook`);
          }
        }
      };
      await Promise.all(Array.from({ length: parallel }, send));
    },
    async stop() {
      await Promise.all([...workers, ...(hotWorker ? [hotWorker] : [])].map((w) => w.stop()));
      await own?.ingress.close();
      await own?.budgets.stop();
      await recorder.close();
      await portal.sandboxes.stop();
      await inbox.close();
    },
  };
  await Promise.all([...workers, ...(hotWorker ? [hotWorker] : [])].map((w) => w.ready));
  if (options.ingressInWorker) {
    const { ingressUrl } = await (hotWorker ?? run.worker).ready;
    if (!ingressUrl) throw new Error('the worker process told to serve the webhooks reported no ingress URL');
    ingress.url = ingressUrl;
  }
  return run;
}

/** The ingress in the bench process (a separate ingress deployment): its own lease on the HubSpot budget. */
async function startOwnIngress(
  options: BridgeRunOptions,
  run: { taskQueue: string; portal: BenchPortal; hubspotUrl: string },
): Promise<{ ingress: Ingress; budgets: SharedBudgets }> {
  const { hubspot } = run.portal.sandboxes;
  const budgets = createSharedBudgets({
    client: options.client,
    taskQueue: run.taskQueue,
    portalId: run.portal.portalId,
    hubspot: { calls: options.budgets.hubspotPer10Seconds, perMs: 10_000 },
    salesforce: { calls: options.budgets.salesforcePerSecond, perMs: 1_000 },
    maxWaitMs: INGRESS_BUDGET_WAIT_MS,
  });
  const adapter = createHubSpotAdapter({ accessToken: hubspot.accessToken, basePath: run.hubspotUrl, budget: budgets.hubspot });
  const priorityLeads = priorityLeadsFrom({ hubspot: adapter, contract: () => run.portal.contract });
  const ingress = await startIngress({ client: options.client, taskQueue: run.taskQueue, portalId: run.portal.portalId, clientSecret: hubspot.clientSecret, priorityLeads });
  return { ingress, budgets };
}
