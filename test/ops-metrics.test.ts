import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import Fastify from 'fastify';
import pino from 'pino';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { createBridgeMetrics, createMetricsServer, metricsText, temporalExporterAddress, temporalTelemetryOptions } from '../worker/metrics';

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
  it('exposes the handoff counters with their labels', async () => {
    const metrics = createBridgeMetrics({ processMetrics: false });
    metrics.handoffsStarted.inc();
    metrics.stageTransitions.inc({ stage: 'AwaitingAcceptance' });
    metrics.slaBreaches.inc();
    metrics.reverts.inc(2);
    metrics.crmCalls.inc({ system: 'hubspot', operation: 'getContact' });
    metrics.crmRateLimited.inc({ system: 'salesforce' });
    const text = await metricsText({ metrics });
    expect(text).toContain('handoffs_started_total 1');
    expect(text).toContain('handoff_stage_transitions_total{stage="AwaitingAcceptance"} 1');
    expect(text).toContain('sla_breaches_total 1');
    expect(text).toContain('reverts_total 2');
    expect(text).toContain('crm_calls_total{system="hubspot",operation="getContact"} 1');
    expect(text).toContain('crm_rate_limited_total{system="salesforce"} 1');
  });

  it("serves the bridge's and the Temporal Runtime's metrics on one /metrics", async () => {
    const metrics = createBridgeMetrics({ processMetrics: false });
    metrics.handoffsStarted.inc();
    const temporalExporterUrl = await fakeTemporalExporter('# TYPE temporal_worker_task_slots_available gauge\ntemporal_worker_task_slots_available 5\n');
    const server = createMetricsServer({ metrics, temporalExporterUrl, logger: silent });
    closers.push(() => server.close());
    const response = await server.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
    expect(response.body).toContain('handoffs_started_total 1');
    expect(response.body).toContain('temporal_worker_task_slots_available 5');
  });

  it('still serves its own metrics when the Runtime exporter is unreachable', async () => {
    const metrics = createBridgeMetrics({ processMetrics: false });
    const gone = await fakeTemporalExporter('');
    await Promise.all(closers.splice(0).map((close) => close()));
    const text = await metricsText({ metrics, temporalExporterUrl: gone, logger: silent });
    expect(text).toContain('handoffs_started_total 0');
  });

  it('points the Runtime exporter at loopback beside METRICS_PORT and forwards Core logs', () => {
    expect(temporalExporterAddress(9464)).toBe('127.0.0.1:9465');
    const telemetry = temporalTelemetryOptions(9464);
    expect(telemetry.metrics).toMatchObject({ prometheus: { bindAddress: '127.0.0.1:9465' }, metricPrefix: 'temporal_' });
    expect(telemetry.logging).toMatchObject({ forward: {} });
  });
});

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** A METRICS_PORT whose neighbour (the Runtime exporter's port) is free too. */
async function freeMetricsPort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    if ((await portIsFree(port)) && (await portIsFree(port + 1))) return port;
  }
  throw new Error('no free pair of ports');
}

describe('with a real Temporal Runtime', () => {
  // The Runtime is a per-process singleton (this test process already has one), so a child process
  // installs one with the bridge's telemetry options, connects to the dev server and scrapes /metrics.
  it("serves the Runtime's Prometheus metrics next to the bridge's", async () => {
    const metricsPort = await freeMetricsPort();
    const script = `
      import { NativeConnection, Runtime } from '@temporalio/worker';
      import pino from 'pino';
      import { createBridgeMetrics, createMetricsServer, temporalExporterAddress, temporalTelemetryOptions } from './worker/metrics.ts';
      Runtime.install({ telemetryOptions: temporalTelemetryOptions(${metricsPort}) });
      const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS });
      const metrics = createBridgeMetrics();
      metrics.handoffsStarted.inc();
      const server = createMetricsServer({ metrics, temporalExporterUrl: 'http://' + temporalExporterAddress(${metricsPort}) + '/metrics', logger: pino({ level: 'silent' }) });
      const response = await server.inject({ method: 'GET', url: '/metrics' });
      process.stdout.write(response.body);
      await server.close();
      await connection.close();
    `;
    const tsx = new URL('../node_modules/.bin/tsx', import.meta.url).pathname;
    const { stdout } = await promisify(execFile)(tsx, ['--input-type=module', '-e', script], {
      cwd: new URL('..', import.meta.url).pathname,
      env: { ...process.env, TEMPORAL_ADDRESS: inject('temporalAddress') },
      timeout: 30_000,
    });
    expect(stdout).toContain('handoffs_started_total 1');
    expect(stdout).toContain('process_cpu_user_seconds_total');
    expect(stdout).toMatch(/temporal_request(_total)?\{[^}]*operation="GetSystemInfo"/);
  });
});
