/**
 * The bridge process, composed from its parts: Runtime (logs, metrics), Temporal connection and client
 * (with the payload codec), the contract, the CRM adapters, and then — by mode — the three workers with
 * the per-portal watcher and MQL sweep, and/or the HTTP ingress (webhooks, signed links, codec,
 * dashboard, health). `stop()` drains: readiness goes 503, HTTP closes, workers finish their tasks.
 */
import { Client, ScheduleAlreadyRunning, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { NativeConnection, type Runtime } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { createHubSpotAdapter, createSalesforceAdapter } from '../activities/crm';
import { createNotifier, actionUrls } from '../activities/notify';
import type { HubSpotPort, Notifier, SalesforcePort } from '../activities/ports';
import { createReconcileReadsAdapter, createDirectoryReportStore, ensureReconcileSchedule } from '../activities/reconcile';
import { parseRepairPolicy } from '../mappings/metrics';
import { DEFAULT_CALL_BUDGETS } from '../activities/crm';
import { loadContract } from '../mappings/load';
import type { Contract } from '../mappings/contract';
import { mqlSweepScheduleId, statusWatcherWorkflowId } from '../api/ids';
import { mqlSweep } from '../workflows/mql-sweep';
import { salesforceStatusWatcher } from '../workflows/status-watcher';
import { registerActionRoutes } from './action-route';
import { createBridgeWorkers, type BridgeWorkers } from './bridge-workers';
import { adoptIfNoneCurrent, versionedBundle, versionedWorkerOptions } from './deployment-version';
import { AesGcmPayloadCodec, dataConverterFor } from './codec';
import { registerCodecRoutes } from './codec-server';
import type { BridgeConfig } from './config';
import { crmConnectionsFrom } from './crm-connections';
import { createSharedBudgets, INGRESS_BUDGET_WAIT_MS } from './shared-call-budgets';
import { connectTemporal } from './temporal-client';
import { registerDashboardRoute } from './dashboard-route';
import { createHttpServer, type BridgeHttpServer } from './http-server';
import { createBridgeMetrics, createMetricsServer, crmBudgetObserver, crmRequestMeter, registerAdmissionMetrics, temporalExporterAddress } from './metrics';
import { installRuntime } from './runtime';
import { registerHubSpotWebhookRoute } from './webhook-route';
import { priorityLeadsFrom } from './priority-leads';
import { prebuiltWorkflowBundle } from './workflow-bundle';
import { WATCHER_POLL_SECONDS } from '../mappings/contract';

export interface BridgeOptions {
  config: BridgeConfig;
  logger: Logger;
  taskQueue: string;
  /** Sandbox base URLs when the process started its own sandboxes (npm start). */
  sandboxUrls?: { hubspot: string; salesforce: string };
  /** Where reconciliation reports are written and the dashboard reads them. */
  reportDir: string;
  /** How often the Salesforce watcher polls when caught up. */
  watchInterval?: string;
  /** MQL sweep cadence (the safety net for missed webhooks). */
  sweepEvery?: string;
  contract?: Contract;
  notifier?: Notifier;
  /** Interface the HTTP server binds: all of them in a container (default), loopback for a local demo. */
  listenHost?: string;
  /** Temporal UI origins the codec endpoint answers (CORS); the local UI on :8233 when unset. */
  uiOrigins?: string[];
  /**
   * false when the caller has already installed the process's Temporal Runtime (the Runtime is one per
   * process; the test processes install a quiet one in their setup file). The SDK's logs then go to
   * that Runtime's logger, and it exports no Temporal metrics next to METRICS_PORT. Default true.
   */
  installRuntime?: boolean;
}

export interface RunningBridge {
  client: Client;
  contract: Contract;
  hubspot: HubSpotPort;
  salesforce: SalesforcePort;
  portalId: string;
  /** The HTTP base URL (ingress routes, or only health in worker mode). */
  ingressUrl: string;
  /** Where `/metrics` answers (METRICS_PORT). */
  metricsUrl: string;
  /** Resolves when the workers stop (or immediately in ingress mode). */
  finished: Promise<void>;
  stop(): Promise<void>;
}

export async function startBridge(options: BridgeOptions): Promise<RunningBridge> {
  const { config, logger } = options;
  const runtime: Runtime | undefined = options.installRuntime !== false ? installRuntime({ logger, metricsPort: config.metrics.port }) : undefined;
  // One scrape target per pod, in every mode: the bridge's metrics, then the Runtime's (from its
  // loopback exporter, when this process installed the Runtime).
  const metrics = createBridgeMetrics();
  const metricsServer: FastifyInstance = createMetricsServer({
    metrics,
    ...(runtime ? { temporalExporterUrl: `http://${temporalExporterAddress(config.metrics.port)}/metrics` } : {}),
    logger,
    timeouts: config.http,
  });

  const contract = options.contract ?? loadContract(config.contractPath);
  // Every CRM client this process builds from these counts its requests into /metrics.
  const connections = crmConnectionsFrom(config, options.sandboxUrls);
  const crm = {
    hubspot: { ...connections.hubspot, meter: crmRequestMeter(metrics, 'hubspot') },
    salesforce: { ...connections.salesforce, meter: crmRequestMeter(metrics, 'salesforce') },
  };
  const dataConverter = config.codec.keys.length ? dataConverterFor(config.codec.keys) : undefined;
  const client = new Client({
    connection: await connectTemporal(config.temporal.address),
    namespace: config.temporal.namespace,
    dataConverter,
  });
  const portalId = crm.hubspot.portalId;
  const runsWorkers = config.mode !== 'ingress';
  // Leased from the portal's keepers, so every replica together stays within the configured budgets.
  const budgets = createSharedBudgets({
    client,
    taskQueue: options.taskQueue,
    portalId,
    hubspot: crm.hubspot.callBudget ?? { calls: DEFAULT_CALL_BUDGETS.hubspotPer10Seconds, perMs: 10_000 },
    salesforce: crm.salesforce.callBudget ?? { calls: DEFAULT_CALL_BUDGETS.salesforcePerSecond, perMs: 1_000 },
    onLeaseError: (system, error) => logger.warn({ system, reason: error instanceof Error ? error.message : String(error) }, 'call budget lease failed: retrying'),
    observe: (system) => crmBudgetObserver(metrics, system),
    // An ingress alone must not hang a webhook on a keeper no worker serves (the priority read fails instead).
    ...(runsWorkers ? {} : { maxWaitMs: INGRESS_BUDGET_WAIT_MS }),
  });
  const hubspot = createHubSpotAdapter({ ...crm.hubspot, budget: budgets.hubspot });
  const salesforce = createSalesforceAdapter({ ...crm.salesforce, budget: budgets.salesforce });

  let workers: BridgeWorkers | undefined;
  let nativeConnection: NativeConnection | undefined;
  let finished: Promise<void> = Promise.resolve();
  if (runsWorkers) {
    nativeConnection = await NativeConnection.connect({ address: config.temporal.address });
    const deploymentName = config.workerDeploymentName;
    const versioned = deploymentName ? await versionedBundle(logger) : undefined;
    workers = await createBridgeWorkers({
      connection: nativeConnection,
      namespace: config.temporal.namespace,
      client,
      taskQueue: options.taskQueue,
      contract: () => contract,
      portalId,
      hubspot,
      salesforce,
      notifier: options.notifier ?? createNotifier({ smtpUrl: config.notify.smtpUrl, from: config.notify.from }),
      actionLinks: (link) => actionUrls(config.ingress.publicUrl, link, config.linkSigningSecret),
      workflowBundle: versioned?.bundle ?? prebuiltWorkflowBundle({ logger }),
      workflowCacheSize: config.workflowCacheSize,
      lanes: config.lanes,
      reconcile: { reads: createReconcileReadsAdapter({ ...crm, budgets }), store: createDirectoryReportStore(options.reportDir) },
      overrides: {
        ...(dataConverter ? { dataConverter } : {}),
        ...(deploymentName && versioned ? { workerDeploymentOptions: versionedWorkerOptions(deploymentName, versioned.buildId) } : {}),
      },
    });
    if (workers.admission) registerAdmissionMetrics(metrics, workers.admission);
    finished = workers.run();
    if (deploymentName && versioned && (await adoptIfNoneCurrent(client, deploymentName, versioned.buildId))) {
      logger.info({ deploymentName, buildId: versioned.buildId }, 'first version of the worker deployment: made current');
    }
    await ensureLoops(client, { portalId, taskQueue: options.taskQueue, watchInterval: options.watchInterval ?? `${WATCHER_POLL_SECONDS} seconds`, sweepEvery: options.sweepEvery ?? '15 minutes', logger });
    if (config.reconcile.every !== 'off') {
      await ensureReconcileSchedule(client, {
        portalId,
        every: config.reconcile.every,
        taskQueue: options.taskQueue,
        input: { portalId, policy: parseRepairPolicy(config.reconcile.repair), handoffTaskQueue: options.taskQueue },
      });
    }
  }

  // Every mode serves /healthz and /readyz (the orchestrator probes them); the ingress routes only
  // where this process is the ingress.
  const http: BridgeHttpServer = createHttpServer({
    logger,
    timeouts: config.http,
    readiness: { temporal: async () => void (await client.workflowService.getSystemInfo({})) },
  });
  if (config.mode !== 'worker') {
    await registerHubSpotWebhookRoute(http.app, {
      client,
      taskQueue: options.taskQueue,
      clientSecret: crm.hubspot.clientSecret,
      publicUrl: config.ingress.publicUrl,
      portalId,
      priorityLeads: priorityLeadsFrom({ hubspot, contract: () => contract }),
      // Ingress and hot lane in one process: priority leads start eagerly on this process's hot lane.
      ...(nativeConnection && config.lanes !== 'main'
        ? { hotLaneClient: new Client({ connection: nativeConnection, namespace: config.temporal.namespace, dataConverter }) }
        : {}),
      onPriorityReadFailed: (error) => logger.warn({ reason: error instanceof Error ? error.message : String(error) }, 'priority read failed: the batch starts as normal leads'),
    });
    await registerActionRoutes(http.app, { client, secret: config.linkSigningSecret, contract: () => contract });
    await registerDashboardRoute(http.app, { reportDir: options.reportDir });
    if (config.codec.keys.length) {
      const uiOrigins = config.codec.corsOrigins ?? options.uiOrigins;
      await registerCodecRoutes(http.app, {
        codec: new AesGcmPayloadCodec(config.codec.keys),
        authToken: config.codec.authToken,
        namespace: config.temporal.namespace,
        prefix: '/codec',
        ...(uiOrigins ? { allowedOrigins: uiOrigins } : {}),
      });
    }
  }
  const ingressUrl = await http.listen({ port: config.ingress.port, host: options.listenHost ?? '0.0.0.0' });
  const metricsUrl = await metricsServer.listen({ port: config.metrics.port, host: options.listenHost ?? '0.0.0.0' });

  return {
    client,
    contract,
    hubspot,
    salesforce,
    portalId,
    ingressUrl,
    metricsUrl,
    finished,
    async stop() {
      http.markDraining();
      await http.close();
      workers?.shutdown();
      await finished;
      await budgets.stop();
      await nativeConnection?.close();
      await client.connection.close();
      await metricsServer.close();
      // With workers, the SDK shuts the Runtime down when its last native connection closes. Without
      // (ingress), nothing ever registered with it: its exporter thread would keep the process alive.
      if (runtime && !runsWorkers) await runtime.shutdown();
    },
  };
}

/** The per-portal Salesforce watcher and the MQL sweep schedule: started once, whoever starts first. */
async function ensureLoops(
  client: Client,
  input: { portalId: string; taskQueue: string; watchInterval: string; sweepEvery: string; logger: Logger },
): Promise<void> {
  try {
    await client.workflow.start(salesforceStatusWatcher, {
      workflowId: statusWatcherWorkflowId(input.portalId),
      taskQueue: input.taskQueue,
      args: [{ portalId: input.portalId, pollInterval: input.watchInterval }],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
  try {
    await client.schedule.create({
      scheduleId: mqlSweepScheduleId(input.portalId),
      spec: { intervals: [{ every: input.sweepEvery }] },
      action: { type: 'startWorkflow', workflowType: mqlSweep, taskQueue: input.taskQueue, args: [{ portalId: input.portalId }] },
    });
    input.logger.info({ scheduleId: mqlSweepScheduleId(input.portalId), every: input.sweepEvery }, 'MQL sweep scheduled');
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
}
