/**
 * Prometheus metrics: the bridge's own counters (prom-client) and the Temporal Runtime's (its native
 * exporter), served together on one /metrics so a pod is one scrape target.
 *
 * The Runtime's exporter binds its own socket; it listens on loopback, one port above METRICS_PORT,
 * and the bridge's /metrics appends what it says. Our metric names carry no `temporal_` prefix, so
 * the two sets never collide.
 */
import type { TelemetryOptions } from '@temporalio/worker';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { Counter, Registry, collectDefaultMetrics } from 'prom-client';
import { fastifyTimeoutOptions, type HttpTimeouts } from './http-timeouts';

export type CrmSystem = 'hubspot' | 'salesforce';

export interface BridgeMetrics {
  registry: Registry;
  handoffsStarted: Counter;
  stageTransitions: Counter<'stage'>;
  slaBreaches: Counter;
  reverts: Counter;
  crmCalls: Counter<'system' | 'operation'>;
  crmRateLimited: Counter<'system'>;
}

export function createBridgeMetrics(options: { processMetrics?: boolean } = {}): BridgeMetrics {
  const registry = new Registry();
  // Process metrics (memory, event loop lag) matter for a worker holding many cached workflows.
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry });
  const counter = <L extends string>(name: string, help: string, labelNames: L[] = []) =>
    new Counter<L>({ name, help, labelNames, registers: [registry] });
  return {
    registry,
    handoffsStarted: counter('handoffs_started_total', 'Lead handoffs started (one per lead, duplicates excluded).'),
    stageTransitions: counter('handoff_stage_transitions_total', 'Lead handoffs entering a lifecycle stage.', ['stage']),
    slaBreaches: counter('sla_breaches_total', 'Acceptance windows that ended without acceptance.'),
    reverts: counter('reverts_total', 'Leads reverted to nurture across both systems.'),
    crmCalls: counter('crm_calls_total', 'Calls to a CRM API, by system and operation.', ['system', 'operation']),
    crmRateLimited: counter('crm_rate_limited_total', 'CRM calls answered 429 / REQUEST_LIMIT_EXCEEDED.', ['system']),
  };
}

/** Where the Runtime's own exporter listens: loopback, next to METRICS_PORT. */
export function temporalExporterAddress(metricsPort: number): string {
  return `127.0.0.1:${metricsPort + 1}`;
}

/** `Runtime.install({ telemetryOptions })`: Prometheus metrics from the Runtime, Core's logs forwarded to our logger. */
export function temporalTelemetryOptions(metricsPort: number): TelemetryOptions {
  return {
    metrics: {
      prometheus: { bindAddress: temporalExporterAddress(metricsPort), countersTotalSuffix: true, useSecondsForDurations: true },
      metricPrefix: 'temporal_',
    },
    logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} },
  };
}

export interface MetricsServerOptions {
  metrics: BridgeMetrics;
  /** The Runtime exporter's URL (http://127.0.0.1:9465/metrics); only our metrics when unset. */
  temporalExporterUrl?: string;
  logger: Logger;
  /** The same request timeouts as the ingress (HTTP_*_TIMEOUT_SECONDS). */
  timeouts?: HttpTimeouts;
}

/** Our metrics, then the Runtime's. A Runtime that cannot be reached costs its metrics, not the scrape. */
export async function metricsText(options: Omit<MetricsServerOptions, 'logger'> & { logger?: Logger }): Promise<string> {
  const own = await options.metrics.registry.metrics();
  if (!options.temporalExporterUrl) return own;
  try {
    const response = await fetch(options.temporalExporterUrl, { signal: AbortSignal.timeout(2_000) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const temporalText = await response.text();
    return `${own.trimEnd()}\n${temporalText}`;
  } catch (err) {
    options.logger?.warn({ reason: err instanceof Error ? err.message : String(err) }, 'Temporal Runtime metrics unavailable');
    return own;
  }
}

/** A fastify instance serving GET /metrics, to listen on METRICS_PORT. */
export function createMetricsServer(options: MetricsServerOptions): FastifyInstance {
  const loggerInstance: FastifyBaseLogger = options.logger;
  const app = Fastify({
    loggerInstance,
    logController: new LogController({ disableRequestLogging: true }),
    forceCloseConnections: true,
    ...fastifyTimeoutOptions(options.timeouts),
  });
  app.get('/metrics', async (_request, reply) =>
    reply.header('content-type', options.metrics.registry.contentType).send(await metricsText(options)),
  );
  return app;
}
