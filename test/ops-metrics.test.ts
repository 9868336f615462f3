import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import Fastify from 'fastify';
import pino from 'pino';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { WorkflowInfo } from '@temporalio/workflow';
import { createBridgeMetrics, createMetricsServer, crmBudgetObserver, crmRequestMeter, metricsText, registerAdmissionMetrics, temporalExporterAddress, temporalTelemetryOptions } from '../worker/metrics';
import { createWorkflowAdmission } from '../worker/workflow-admission';
import { quietPort } from '../worker/dev-server';

const silent = pino({ level: 'silent' });
const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function fakeTemporalExporter(body: string): Promise<string> {
  const app = Fastify();
  app.get('/metrics', async (_req, reply) => reply.header('content-type', 'text/plain').send(body));
  closers.push(() => app.close());
  return `${await app.listen({ port: 0, host: '127.0.0.1' })}/metrics`;
}

describe('bridge metrics', () => {
  it('counts CRM requests and rate refusals per system through the meters the clients are given', async () => {
    const metrics = createBridgeMetrics({ processMetrics: false });
    const hubspot = crmRequestMeter(metrics, 'hubspot');
    crmRequestMeter(metrics, 'salesforce').rateLimited();
    hubspot.sent();
    hubspot.sent();
    const text = await metricsText({ metrics });
    expect(text).toContain('crm_requests_total{system="hubspot"} 2');
    // Both systems' series exist from the first scrape, refused or not.
    expect(text).toContain('crm_requests_total{system="salesforce"} 0');
    expect(text).toContain('crm_rate_limited_total{system="hubspot"} 0');
    expect(text).toContain('crm_rate_limited_total{system="salesforce"} 1');
  });

  it("records the call budgets' lease round trips and waits, in seconds, a priority lead's apart", async () => {
    const metrics = createBridgeMetrics({ processMetrics: false });
    const salesforce = crmBudgetObserver(metrics, 'salesforce');
    salesforce.leased(1_500, 'granted');
    salesforce.leased(9_000, 'failed');
    salesforce.waited(20, true);
    salesforce.waited(4, false);
    salesforce.waited(6, false);
    const sample = async (histogram: 'crmBudgetLease' | 'crmBudgetWait', suffix: string, labels: Record<string, string>) => {
      const { name, values } = await metrics[histogram].get();
      return values.find((v) => v.metricName === `${name}${suffix}` && Object.entries(labels).every(([k, value]) => String((v.labels as Record<string, string | number>)[k]) === value))?.value;
    };
    expect(await sample('crmBudgetLease', '_sum', { system: 'salesforce', outcome: 'granted' })).toBe(1.5);
    expect(await sample('crmBudgetLease', '_count', { system: 'salesforce', outcome: 'failed' })).toBe(1);
    // 9 s fell in the 10 s bucket, not the 5 s one.
    expect(await sample('crmBudgetLease', '_bucket', { system: 'salesforce', outcome: 'failed', le: '5' })).toBe(0);
    expect(await sample('crmBudgetLease', '_bucket', { system: 'salesforce', outcome: 'failed', le: '10' })).toBe(1);
    expect(await sample('crmBudgetWait', '_sum', { system: 'salesforce', urgent: 'true' })).toBeCloseTo(0.02, 10);
    expect(await sample('crmBudgetWait', '_count', { system: 'salesforce', urgent: 'false' })).toBe(2);
    expect(await metricsText({ metrics })).toContain('# TYPE crm_budget_wait_seconds histogram');
  });

  it("exports the admission's state at each scrape: busy, new, the limit, held back, waited out and priority holds", async () => {
    const admission = createWorkflowAdmission({ slots: 4, busyLimit: 2, maxWaitMs: 20, staleAfterMs: 60_000, priorityHoldMs: 60_000 });
    const metrics = createBridgeMetrics({ processMetrics: false });
    registerAdmissionMetrics(metrics, admission);
    const report = (kind: 'busy' | 'idle', runId: string): void => {
      void admission.sinks.workflowLoad[kind].fn({ runId } as WorkflowInfo);
    };
    const newWorkflow = () => admission.slotSupplier.reserveSlot({ isSticky: false, slotType: 'workflow', taskQueue: 'q', workerIdentity: 'w', workerBuildId: '', workerDeploymentVersion: undefined }, new AbortController().signal);
    const line = (text: string, name: string) => text.split('\n').find((l) => l.startsWith(`${name} `));

    report('busy', 'a');
    report('busy', 'b');
    await newWorkflow(); // two busy of a limit of 2: waits its 20 ms out, then is let in
    report('idle', 'a');
    const held = newWorkflow(); // one busy and one new: waits until b is done
    report('idle', 'b');
    await held;
    const text = await metricsText({ metrics });
    expect(line(text, 'handoff_admission_busy_workflows')).toBe('handoff_admission_busy_workflows 0');
    expect(line(text, 'handoff_admission_new_workflows')).toBe('handoff_admission_new_workflows 2');
    expect(line(text, 'handoff_admission_busy_limit')).toBe('handoff_admission_busy_limit 2');
    expect(line(text, 'handoff_admission_held_back_total')).toBe('handoff_admission_held_back_total 1');
    expect(line(text, 'handoff_admission_waited_out_total')).toBe('handoff_admission_waited_out_total 1');
    // A counter read again is the state again, not twice the state.
    report('busy', 'c');
    const again = await metricsText({ metrics });
    expect(line(again, 'handoff_admission_busy_workflows')).toBe('handoff_admission_busy_workflows 1');
    expect(line(again, 'handoff_admission_held_back_total')).toBe('handoff_admission_held_back_total 1');
    expect(line(again, 'handoff_admission_priority_busy_workflows')).toBe('handoff_admission_priority_busy_workflows 0');
    expect(line(again, 'handoff_admission_held_for_priority_total')).toBe('handoff_admission_held_for_priority_total 0');
    // A priority lead's step holds the cached workflows' next tasks too, until it ends.
    void admission.prioritySinks.workflowLoad.busy.fn({ runId: 'hot' } as WorkflowInfo);
    const sticky = admission.slotSupplier.reserveSlot({ isSticky: true, slotType: 'workflow', taskQueue: 'q', workerIdentity: 'w', workerBuildId: '', workerDeploymentVersion: undefined }, new AbortController().signal);
    expect(line(await metricsText({ metrics }), 'handoff_admission_priority_busy_workflows')).toBe('handoff_admission_priority_busy_workflows 1');
    void admission.prioritySinks.workflowLoad.idle.fn({ runId: 'hot' } as WorkflowInfo);
    await sticky;
    const after = await metricsText({ metrics });
    expect(line(after, 'handoff_admission_priority_busy_workflows')).toBe('handoff_admission_priority_busy_workflows 0');
    expect(line(after, 'handoff_admission_held_for_priority_total')).toBe('handoff_admission_held_for_priority_total 1');
  });

  it("serves the bridge's and the Temporal Runtime's metrics on one /metrics", async () => {
    const metrics = createBridgeMetrics({ processMetrics: false });
    crmRequestMeter(metrics, 'hubspot').sent();
    const temporalExporterUrl = await fakeTemporalExporter('# TYPE temporal_worker_task_slots_available gauge\ntemporal_worker_task_slots_available 5\n');
    const server = createMetricsServer({ metrics, temporalExporterUrl, logger: silent });
    closers.push(() => server.close());
    const response = await server.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
    expect(response.body).toContain('crm_requests_total{system="hubspot"} 1');
    expect(response.body).toContain('temporal_worker_task_slots_available 5');
  });

  it('still serves its own metrics when the Runtime exporter is unreachable', async () => {
    const metrics = createBridgeMetrics({ processMetrics: false });
    crmRequestMeter(metrics, 'salesforce');
    const gone = await fakeTemporalExporter('');
    await Promise.all(closers.splice(0).map((close) => close()));
    const text = await metricsText({ metrics, temporalExporterUrl: gone, logger: silent });
    expect(text).toContain('crm_requests_total{system="salesforce"} 0');
  });

  it('points the Runtime exporter at loopback beside METRICS_PORT and forwards Core logs', () => {
    expect(temporalExporterAddress(9464)).toBe('127.0.0.1:9465');
    const telemetry = temporalTelemetryOptions(9464);
    expect(telemetry.metrics).toMatchObject({ prometheus: { bindAddress: '127.0.0.1:9465' }, metricPrefix: 'temporal_' });
    expect(telemetry.logging).toMatchObject({ forward: {} });
  });
});

describe('with a real Temporal Runtime', () => {
  // The Runtime is a per-process singleton (this test process already has one), so a child process
  // installs one with the bridge's telemetry options, connects to the dev server and scrapes /metrics.
  it("serves the Runtime's Prometheus metrics next to the bridge's, the handoff workflow's counters under the names docs/operations.md gives", async () => {
    const metricsPort = await quietPort(1); // the Runtime's exporter takes the next one
    const tsx = new URL('../node_modules/.bin/tsx', import.meta.url).pathname;
    const probe = new URL('./helpers/metrics-probe-process.ts', import.meta.url).pathname;
    const { stdout } = await promisify(execFile)(tsx, [probe], {
      cwd: new URL('..', import.meta.url).pathname,
      env: { ...process.env, TEMPORAL_ADDRESS: inject('temporalAddress'), METRICS_PORT: String(metricsPort) },
      timeout: 60_000,
    });
    expect(stdout).toContain('crm_requests_total{system="hubspot"} 1');
    expect(stdout).toContain('process_cpu_user_seconds_total');
    expect(stdout).toMatch(/temporal_request(_total)?\{[^}]*operation="GetSystemInfo"/);
    // The workflow's counters, once each, under the names an operator's alert rules use: the SDK
    // exports workflow metrics without the Runtime's `temporal_` prefix, labelled in camelCase.
    const exported = (name: string) => new RegExp(`^${name}\\{([^}]*)\\} (\\d+)$`, 'm').exec(stdout);
    const documented = readFileSync(new URL('../docs/operations.md', import.meta.url), 'utf8');
    for (const name of ['handoffs_started_total', 'handoff_stage_transitions_total', 'handoff_sla_breaches_total']) {
      expect(exported(name)?.[2], `${name} in:\n${stdout.slice(-4_000)}`).toBe('1');
      expect(documented).toContain(`| \`${name}\``);
    }
    expect(exported('handoff_stage_transitions_total')?.[1]).toMatch(/(?=.*stage="AwaitingAcceptance")(?=.*workflowType="handoffCountersProbe")/);
    // One page, two registries: a metric family declared twice makes Prometheus reject the whole scrape.
    const families = [...stdout.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]);
    expect(families.filter((name, i) => families.indexOf(name) !== i)).toEqual([]);
  });
});
