/**
 * Prometheus metrics: the bridge's own (prom-client: the CRM requests this process sent, its call
 * budgets' leases and waits, the orchestration worker's admission of new handoffs) and the Temporal
 * Runtime's (its native exporter: the SDK's worker metrics and the handoff workflow's own
 * counters, workflows/handoff/metrics.ts), served together on one /metrics so a pod is one scrape target.
 *
 * The Runtime's exporter binds its own socket; it listens on loopback, one port above METRICS_PORT,
 * and the bridge's /metrics appends what it says. Its SDK metrics carry the `temporal_` prefix; the
 * workflow's own counters carry none (the SDK exports them as named), so no name here may repeat one
 * of theirs: a family declared twice on one page fails the whole scrape.
 */
import type { TelemetryOptions } from '@temporalio/worker';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { BudgetObserver, CrmRequestMeter, CrmSystem } from '../activities/crm';
import { fastifyTimeoutOptions, type HttpTimeouts } from './http-timeouts';
import type { WorkflowAdmission } from './workflow-admission';

export interface BridgeMetrics {
  registry: Registry;
  crmRequests: Counter<'system'>;
  crmRateLimited: Counter<'system'>;
  crmBudgetLease: Histogram<'system' | 'outcome'>;
  crmBudgetWait: Histogram<'system' | 'urgent'>;
}

/** From a few milliseconds (grants in hand) to the 10 s a keeper may grant ahead. */
const BUDGET_SECONDS = [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30];

export function createBridgeMetrics(options: { processMetrics?: boolean } = {}): BridgeMetrics {
  const registry = new Registry();
  // Process metrics (memory, event loop lag) matter for a worker holding many cached workflows.
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry });
  const counter = <L extends string>(name: string, help: string, labelNames: L[] = []) =>
    new Counter<L>({ name, help, labelNames, registers: [registry] });
  return {
    registry,
    crmRequests: counter('crm_requests_total', 'HTTP requests this process sent to a CRM API (a batch serving many leads is one).', ['system']),
    crmRateLimited: counter('crm_rate_limited_total', 'CRM requests refused for rate: HubSpot 429, Salesforce REQUEST_LIMIT_EXCEEDED or 429.', ['system']),
    crmBudgetLease: new Histogram({
      name: 'crm_budget_lease_seconds',
      help: "Round trips to the CRM call budget's keeper workflow for grants, by outcome (granted, failed).",
      labelNames: ['system', 'outcome'],
      buckets: BUDGET_SECONDS,
      registers: [registry],
    }),
    crmBudgetWait: new Histogram({
      name: 'crm_budget_wait_seconds',
      help: "How long a CRM request waited for a call of the shared budget; urgent=\"true\": a priority lead's.",
      labelNames: ['system', 'urgent'],
      buckets: BUDGET_SECONDS,
      registers: [registry],
    }),
  };
}

/** What one CRM's shared call budget reports into the registry (worker/shared-call-budgets.ts). */
export function crmBudgetObserver(metrics: BridgeMetrics, system: CrmSystem): BudgetObserver {
  return {
    leased: (ms, outcome) => metrics.crmBudgetLease.observe({ system, outcome }, ms / 1000),
    waited: (ms, urgent) => metrics.crmBudgetWait.observe({ system, urgent: String(urgent) }, ms / 1000),
  };
}

/** What one CRM's clients report into the registry (every adapter, the reconciliation's reads, the start-up check). */
export function crmRequestMeter(metrics: BridgeMetrics, system: CrmSystem): CrmRequestMeter {
  const sent = metrics.crmRequests.labels({ system });
  const refused = metrics.crmRateLimited.labels({ system });
  // Both series exist from the start: a rate() over a series that appears late misses its first step.
  sent.inc(0);
  refused.inc(0);
  return { sent: () => sent.inc(), rateLimited: () => refused.inc() };
}

/**
 * The orchestration worker's admission of new handoffs (worker/workflow-admission.ts), read at each
 * scrape. `busy` near `limit` with `held_back` rising: a burst is being paced by the cache, as meant;
 * `waited_out` rising as well: handoffs stay busy longer than a second (slow CRM calls), so new ones
 * are let in anyway and evict busy ones; a larger WORKFLOW_CACHE_SIZE (memory allowing) helps.
 */
export function registerAdmissionMetrics(metrics: BridgeMetrics, admission: Pick<WorkflowAdmission, 'state'>): void {
  const registers = [metrics.registry];
  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({ name, help, registers, collect() { this.set(read()); } });
  const counter = (name: string, help: string, read: () => number) =>
    new Counter({ name, help, registers, collect() { this.reset(); this.inc(read()); } });
  gauge('handoff_admission_busy_workflows', 'Handoffs in mid-step (an activity or local activity pending) on this worker, as they reported.', () => admission.state().busy);
  gauge('handoff_admission_new_workflows', 'New handoffs admitted and not yet reported busy or idle.', () => admission.state().newInFlight);
  gauge('handoff_admission_busy_limit', 'New handoffs wait while busy + new reach this (80 % of WORKFLOW_CACHE_SIZE).', () => admission.state().busyLimit);
  counter('handoff_admission_held_back_total', 'New handoffs admitted after waiting for busy ones to finish a step.', () => admission.state().heldBack);
  counter('handoff_admission_waited_out_total', 'New handoffs admitted because their wait reached its limit (1 s) with the worker still full.', () => admission.state().waitedOut);
  gauge('handoff_admission_priority_busy_workflows', "Priority leads' handoffs in mid-step on this process's hot lane: while any is, the orchestration worker's tasks wait (3 s at most).", () => admission.state().priorityBusy);
  counter('handoff_admission_held_for_priority_total', "Orchestration workflow tasks admitted after waiting for a priority lead's step.", () => admission.state().heldForPriority);
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
