/**
 * SIGTERM during a burst loses nothing. The bridge's worker runs as its own process (`handoff-bridge
 * worker`, as in a pod) against the run's dev server and sandboxes held by this test; a burst of
 * handoffs starts, the process is sent SIGTERM while CRM calls are in flight (slow sandboxes, a tight
 * Salesforce budget), must drain and exit 0, and a fresh process then finishes every handoff: each
 * reaches AwaitingAcceptance with exactly one Salesforce lead.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SALESFORCE_LEAD_FIELDS as SF } from '../mappings/crm';
import { parseContract } from '../mappings/load';
import { startSandboxes, type Sandboxes } from '../sandbox';
import { mqlContactProperties, prepareSandboxPortal } from '../sandbox/prepare-portal';
import { dataConverterFor } from '../worker/codec';
import { loadClientConfig } from '../worker/config';
import { buildDemoContract } from '../worker/demo/demo-contract';
import { stateQuery, leadHandoff } from '../workflows/handoff';
import { handoffWorkflowId, mqlSweepScheduleId, routingQueueWorkflowId, statusWatcherWorkflowId } from '../api/ids';
import { startInbox, type Inbox } from './helpers/handoff';
import { uniqueTaskQueue } from './helpers/temporal';
import { quietPort } from '../worker/dev-server';

const ROOT = resolve(import.meta.dirname, '..');
// The command a pod runs (bin/handoff-bridge.mjs registers tsx in-process). Not tsx's CLI: that
// relays a signal to a child process and SIGKILLs it when the child's event loop takes over 30 ms to
// acknowledge, as a worker busy with a burst can.
const BIN = join(ROOT, 'bin', 'handoff-bridge.mjs');
const BURST = 12;

interface WorkerProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** `handoff-bridge worker` in a process of its own; resolves once it says it has started. */
async function startWorkerProcess(env: NodeJS.ProcessEnv): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [BIN, 'worker'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  await new Promise<void>((resolveStarted, reject) => {
    const look = () => {
      if (!output.includes('"msg":"handoff-bridge started"')) return;
      child.stdout.off('data', look);
      resolveStarted();
    };
    child.stdout.on('data', look);
    void exited.then((code) => reject(new Error(`worker exited (${String(code)}) before starting:\n${output}`)));
  });
  return { child, output: () => output, exited };
}

async function until<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('SIGTERM during a burst of handoffs', () => {
  let scratch: string;
  let sandboxes: Sandboxes;
  let inbox: Inbox;
  let client: Client;
  let env: NodeJS.ProcessEnv;
  let portalId: string;
  let taskQueue: string;
  const running: WorkerProcess[] = [];

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'handoff-sigterm-'));
    portalId = String(20_000_000 + Math.floor(Math.random() * 9_000_000));
    taskQueue = uniqueTaskQueue('sigterm');
    inbox = await startInbox();
    sandboxes = await startSandboxes({ hubspot: { portalId: Number(portalId) } });

    // The contract file the worker reads: around the clock (routing never waits for working hours),
    // no sync grace (every handoff upserts its lead at once: the burst is all CRM calls), and the
    // sandbox's own reps, alert addresses and nurture list.
    const demo = buildDemoContract({ windowMinutes: 30, reassignLimit: 1, syncSeconds: 6 });
    const prepared = prepareSandboxPortal(demo.contract, sandboxes, inbox.url).contract;
    const raw = parse(demo.yaml) as Record<string, Record<string, unknown>>;
    raw.handoff = { ...raw.handoff, syncGraceMinutes: 0, alerts: prepared.handoff.alerts, revert: prepared.handoff.revert };
    raw.routing = { ...raw.routing, reps: prepared.routing.reps };
    raw.rejectionTaxonomy = prepared.rejectionTaxonomy as unknown as Record<string, unknown>;
    const contractFile = join(scratch, 'contract.yaml');
    writeFileSync(contractFile, stringify(raw));
    parseContract(stringify(raw), contractFile);

    const codecKeys = `t:${randomBytes(32).toString('base64')}`;
    const { hubspot, salesforce } = sandboxes;
    env = {
      ...process.env,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      HANDOFF_TASK_QUEUE: taskQueue,
      HANDOFF_CONTRACT: contractFile,
      HANDOFF_REPORT_DIR: join(scratch, 'reports'),
      RECONCILE_EVERY: 'off',
      LINK_SIGNING_SECRET: randomBytes(32).toString('base64'),
      CODEC_KEYS: codecKeys,
      // Live mode (CRM credentials set) requires the codec's token too.
      CODEC_AUTH_TOKEN: randomBytes(24).toString('base64url'),
      HUBSPOT_BASE_URL: hubspot.baseUrl,
      HUBSPOT_ACCESS_TOKEN: hubspot.accessToken,
      HUBSPOT_PORTAL_ID: portalId,
      HUBSPOT_CLIENT_SECRET: hubspot.clientSecret,
      SALESFORCE_LOGIN_URL: salesforce.loginUrl,
      SALESFORCE_INSTANCE_URL: salesforce.instanceUrl,
      SALESFORCE_CLIENT_ID: salesforce.clientId,
      SALESFORCE_CLIENT_SECRET: salesforce.clientSecret,
      // A tight Salesforce call budget stretches the burst over seconds, so SIGTERM lands inside it.
      SALESFORCE_CALLS_PER_SECOND: '4',
      INGRESS_PORT: String(await quietPort()),
      // The Runtime's exporter takes the port after it.
      METRICS_PORT: String(await quietPort(1)),
      LOG_LEVEL: 'info',
    };
    client = new Client({
      connection: await Connection.connect({ address: inject('temporalAddress') }),
      dataConverter: dataConverterFor(loadClientConfig({ CODEC_KEYS: codecKeys }).codec.keys),
    });
  }, 60_000);

  afterAll(async () => {
    for (const worker of running) {
      if (worker.child.exitCode === null) worker.child.kill('SIGTERM');
      await worker.exited;
    }
    if (client) {
      const ids = [statusWatcherWorkflowId(portalId), routingQueueWorkflowId(portalId)];
      for (const contactId of contactIds) ids.push(handoffWorkflowId({ portalId, contactId }));
      for (const id of ids) {
        try {
          await client.workflow.getHandle(id).terminate('test over');
        } catch (err) {
          if (!(err instanceof WorkflowNotFoundError)) throw err;
        }
      }
      await client.schedule
        .getHandle(mqlSweepScheduleId(portalId))
        .delete()
        .catch(() => undefined);
      await client.connection.close();
    }
    await sandboxes?.stop();
    await inbox?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  const contactIds: string[] = [];
  /** Every lead that stands for the contact: by the HubSpot-id field, or by email as the connector links them. */
  const leadsOf = (contactId: string) => {
    const email = sandboxes.hubspot.store.value(contactId, 'email')?.toLowerCase();
    return sandboxes.salesforce.store
      .list('Lead')
      .filter((lead) => lead.fields[SF.hubspotContactId] === contactId || String(lead.fields[SF.email] ?? '').toLowerCase() === email);
  };
  const assigned = () => sandboxes.salesforce.store.list('Lead').filter((lead) => lead.fields[SF.status] === 'Open - Not Contacted' && lead.fields[SF.ownerId] !== sandboxes.salesforce.store.apiUserId);

  it('drains and exits 0 on SIGTERM, and a new worker brings every handoff to AwaitingAcceptance with one Salesforce lead each', async () => {
    const first = await startWorkerProcess(env);
    running.push(first);
    // Slow CRMs: each call holds a while, so calls are in flight when the signal comes.
    sandboxes.faults.salesforce.set({ latencyMs: 250 });
    sandboxes.faults.hubspot.set({ latencyMs: 100 });
    for (let i = 0; i < BURST; i++) contactIds.push(sandboxes.hubspot.store.createContact(mqlContactProperties()).id);
    const observedAt = new Date().toISOString();
    const startHandoffs = (ids: string[]) =>
      Promise.all(
        ids.map((contactId) =>
          client.workflow.start(leadHandoff, {
            workflowId: handoffWorkflowId({ portalId, contactId }),
            taskQueue,
            args: [{ portalId, contactId, trigger: { source: 'cli', observedAt } }],
          }),
        ),
      );
    // Mid-burst by construction: the first wave is being assigned (batched routing can assign a whole
    // wave at once), the second has only just started when the signal comes.
    const half = BURST / 2;
    await startHandoffs(contactIds.slice(0, half));
    await until(() => (assigned().length >= 2 ? assigned().length : undefined), 'the first assignments', 45_000);
    await startHandoffs(contactIds.slice(half));
    expect(assigned().length).toBeLessThan(BURST);
    first.child.kill('SIGTERM');
    expect(await first.exited, first.output()).toBe(0);
    expect(first.output()).toContain('draining');

    running.push(await startWorkerProcess(env));
    for (const contactId of contactIds) {
      const handle = client.workflow.getHandle(handoffWorkflowId({ portalId, contactId }));
      const stage = await until(
        async () => {
          const state = await handle.query(stateQuery);
          return ['AwaitingAcceptance', 'SAL'].includes(state.stage) ? state.stage : undefined;
        },
        `handoff of contact ${contactId} awaiting acceptance`,
        45_000,
      );
      expect(stage).toBe('AwaitingAcceptance');
      expect(leadsOf(contactId), `Salesforce leads of contact ${contactId}`).toHaveLength(1);
    }
    // Alerts are at least once: a delivery whose completion the first worker could not report is sent again.
    expect(inbox.alerts.filter((a) => a.kind === 'alert').length).toBeGreaterThanOrEqual(BURST);
  }, 150_000);
});
