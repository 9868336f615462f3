/**
 * Each mode as a pod runs it (`handoff-bridge serve|worker|ingress`, a child process of its own, against
 * the run's dev server and sandboxes held by this test): `/metrics` on METRICS_PORT serves the bridge's
 * metrics and the Temporal Runtime's together, and the first SIGTERM drains and exits within the grace
 * period, leaving neither METRICS_PORT nor the Runtime's exporter port (METRICS_PORT + 1) bound.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startSandboxes, type Sandboxes } from '../sandbox';
import { mqlSweepScheduleId, statusWatcherWorkflowId } from '../api/ids';
import { uniqueTaskQueue } from './helpers/temporal';
import { portFree, quietPort } from '../worker/dev-server';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'handoff-bridge.mjs');
/** The pod's terminationGracePeriodSeconds is 30 (deploy/k8s); an idle process has nothing to drain. */
const GRACE_MS = 10_000;

interface Child {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function startChild(command: string, env: NodeJS.ProcessEnv): Promise<Child> {
  const child = spawn(process.execPath, [BIN, command], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return new Promise((resolveStarted, reject) => {
    const look = () => {
      if (!output.includes('"msg":"handoff-bridge started"')) return;
      child.stdout.off('data', look);
      resolveStarted({ child, output: () => output, exited });
    };
    child.stdout.on('data', look);
    void exited.then((code) => reject(new Error(`${command} exited (${String(code)}) before starting:\n${output}`)));
  });
}

describe('every mode in a process of its own', () => {
  let sandboxes: Sandboxes;
  let client: Client;
  const portals: string[] = [];
  const children: Child[] = [];

  beforeAll(async () => {
    sandboxes = await startSandboxes({});
    client = new Client({ connection: await Connection.connect({ address: inject('temporalAddress') }) });
  }, 60_000);

  afterAll(async () => {
    for (const c of children) {
      if (c.child.exitCode === null) c.child.kill('SIGKILL');
      await c.exited;
    }
    for (const portalId of portals) {
      await client.workflow
        .getHandle(statusWatcherWorkflowId(portalId))
        .terminate('test over')
        .catch((err: unknown) => {
          if (!(err instanceof WorkflowNotFoundError)) throw err;
        });
      await client.schedule
        .getHandle(mqlSweepScheduleId(portalId))
        .delete()
        .catch(() => undefined);
    }
    await client?.connection.close();
    await sandboxes?.stop();
  });

  async function envFor(): Promise<{ env: NodeJS.ProcessEnv; metricsPort: number }> {
    const portalId = String(30_000_000 + Math.floor(Math.random() * 9_000_000));
    portals.push(portalId);
    // The Runtime's exporter binds METRICS_PORT + 1: both must be free (other test runs share the machine).
    const metricsPort = await quietPort(1);
    return {
      metricsPort,
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: inject('temporalAddress'),
        HANDOFF_TASK_QUEUE: uniqueTaskQueue('modes'),
        HANDOFF_REPORT_DIR: join(ROOT, 'reports', 'test-modes'),
        RECONCILE_EVERY: 'off',
        // Metrics and shutdown are under test here, not the contract-against-CRM check at start.
        HANDOFF_ALLOW_DRIFT: '1',
        LINK_SIGNING_SECRET: randomBytes(32).toString('base64'),
        HUBSPOT_PORTAL_ID: portalId,
        HUBSPOT_BASE_URL: sandboxes.hubspot.baseUrl,
        SALESFORCE_LOGIN_URL: sandboxes.salesforce.loginUrl,
        INGRESS_PORT: String(await quietPort()),
        METRICS_PORT: String(metricsPort),
        LOG_LEVEL: 'info',
      },
    };
  }

  // The orchestration worker's admission (processes that run it): 80 % of the default cache of 150.
  const admissionLimit = /^handoff_admission_busy_limit 120$/m;
  it.each([
    { command: 'serve', runtimeMetric: /^temporal_\w+/m, admits: true },
    { command: 'worker', runtimeMetric: /^temporal_\w+/m, admits: true },
    { command: 'ingress', runtimeMetric: undefined, admits: false },
  ])(
    '$command: /metrics on METRICS_PORT has both sets; the first SIGTERM exits 0 within the grace period',
    async ({ command, runtimeMetric, admits }) => {
      const { env, metricsPort } = await envFor();
      const running = await startChild(command, env);
      children.push(running);

      const tail = () => running.output().slice(-3_000);
      const response = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      expect(response.status, tail()).toBe(200);
      const text = await response.text();
      // The bridge's own registry (prom-client: process metrics, our counters)...
      expect(text).toMatch(/^process_resident_memory_bytes /m);
      expect(text).toMatch(/^crm_requests_total\{system="hubspot"\} \d+$/m);
      // ...and the Runtime's exporter answered (a worker process has worker metrics to show).
      if (runtimeMetric) expect(text).toMatch(runtimeMetric);
      if (admits) expect(text).toMatch(admissionLimit);
      else expect(text).not.toMatch(admissionLimit);
      expect(running.output(), tail()).not.toContain('Temporal Runtime metrics unavailable');

      const signalledAt = Date.now();
      running.child.kill('SIGTERM');
      const code = await Promise.race([running.exited, new Promise<'still running'>((r) => setTimeout(() => r('still running'), GRACE_MS))]);
      expect(code, running.output().slice(-2_000)).toBe(0);
      expect(Date.now() - signalledAt, tail()).toBeLessThan(GRACE_MS);
      expect(await portFree(metricsPort), 'METRICS_PORT still bound').toBe(true);
      expect(await portFree(metricsPort + 1), 'the Runtime exporter port still bound').toBe(true);
    },
    120_000,
  );
});
