/**
 * README "Try it end to end", run as written: `sandbox --webhook-url`, `serve` with the environment
 * the sandbox printed and the built-in contract, the one curl line the sandbox printed, then the
 * lead's handoff in Temporal's visibility (what the Temporal UI lists). Child processes, free ports,
 * no code between the steps.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { Connection as SalesforceConnection } from 'jsforce';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { dataConverterFor } from '../worker/codec';
import { loadClientConfig } from '../worker/config';
import { handoffWorkflowId, mqlSweepScheduleId, routingQueueWorkflowId, statusWatcherWorkflowId } from '../api/ids';
import { uniqueTaskQueue } from './helpers/temporal';
import { quietPort } from '../worker/dev-server';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'handoff-bridge.mjs');

interface Child {
  process: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function start(args: string[], env: NodeJS.ProcessEnv): Child {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { process: child, output: () => output, exited: new Promise((r) => child.once('exit', (code) => r(code))) };
}

async function until<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs: number, output: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('README: try it end to end', () => {
  const children: Child[] = [];
  const scratch = mkdtempSync(join(tmpdir(), 'try-e2e-'));
  let client: Client | undefined;
  let portalId = '';
  let contactId = '';

  afterAll(async () => {
    if (client && portalId) {
      const ids = [statusWatcherWorkflowId(portalId), routingQueueWorkflowId(portalId), ...(contactId ? [handoffWorkflowId({ portalId, contactId })] : [])];
      for (const id of ids) await client.workflow.getHandle(id).terminate('test over').catch((err: unknown) => { if (!(err instanceof WorkflowNotFoundError)) throw err; });
      await client.schedule.getHandle(mqlSweepScheduleId(portalId)).delete().catch(() => undefined);
      await client.connection.close();
    }
    for (const child of children) {
      if (child.process.exitCode === null) child.process.kill('SIGTERM');
      await child.exited;
    }
    rmSync(scratch, { recursive: true, force: true });
  });

  it('sandbox --webhook-url, serve, one curl line: the handoff runs and shows in visibility', async () => {
    const ingressPort = await quietPort();
    const webhookUrl = `http://127.0.0.1:${ingressPort}/webhooks/hubspot`;
    // Step 1: the sandboxes, delivering webhooks to where serve will listen (any free ports here).
    const sandbox = start(['sandbox', '--hubspot-port', '0', '--salesforce-port', '0', '--contacts', '5', '--reps', '1', '--cycle-ms', '1000', '--webhook-url', webhookUrl], process.env);
    children.push(sandbox);
    const printed = await until(
      () => {
        const exports = Object.fromEntries([...sandbox.output().matchAll(/^export (\w+)=(\S+)$/gm)].map((m) => [m[1] ?? '', m[2] ?? '']));
        const curl = /^ {2}(curl -X PATCH .+)$/m.exec(sandbox.output())?.[1];
        return Object.keys(exports).length === 8 && curl ? { exports, curl } : undefined;
      },
      'the sandbox to print its environment and the curl line',
      30_000,
      sandbox.output,
    );
    portalId = printed.exports.HUBSPOT_PORTAL_ID ?? '';
    contactId = /contacts\/(\d+) /.exec(printed.curl)?.[1] ?? '';
    expect(contactId).not.toBe('');

    // Step 2: serve with that environment (plus what any deployment sets: Temporal, secrets, ports).
    const codecKeys = `k1:${randomBytes(32).toString('base64')}`;
    const serve = start(['serve'], {
      ...process.env,
      ...printed.exports,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      HANDOFF_TASK_QUEUE: uniqueTaskQueue('try-e2e'),
      HANDOFF_REPORT_DIR: join(scratch, 'reports'),
      RECONCILE_EVERY: 'off',
      LINK_SIGNING_SECRET: randomBytes(32).toString('base64'),
      CODEC_KEYS: codecKeys,
      CODEC_AUTH_TOKEN: randomBytes(24).toString('hex'),
      INGRESS_PORT: String(ingressPort),
      INGRESS_PUBLIC_URL: `http://127.0.0.1:${ingressPort}`,
      // The Runtime's exporter takes the port after it.
      METRICS_PORT: String(await quietPort(1)),
    });
    children.push(serve);
    await until(() => (serve.output().includes('"msg":"handoff-bridge started"') ? true : undefined), 'serve to start', 60_000, serve.output);

    // Step 3: the one curl line, exactly as printed.
    const curl = spawn('sh', ['-c', printed.curl], { stdio: ['ignore', 'pipe', 'pipe'] });
    expect(await new Promise((r) => curl.once('exit', r))).toBe(0);

    // Step 4: the lead in Temporal's visibility, as the UI lists it, with its stage.
    client = new Client({
      connection: await Connection.connect({ address: inject('temporalAddress') }),
      dataConverter: dataConverterFor(loadClientConfig({ CODEC_KEYS: codecKeys }).codec.keys),
    });
    const workflowId = handoffWorkflowId({ portalId, contactId });
    const listed = await until(
      async () => {
        for await (const execution of client?.workflow.list({ query: `WorkflowId = "${workflowId}" AND LeadStage IS NOT NULL` }) ?? []) return execution;
        return undefined;
      },
      `${workflowId} in visibility`,
      30_000,
      () => `${sandbox.output()}\n${serve.output()}`,
    );
    expect(listed.status.name).toBe('RUNNING');
    expect(listed.searchAttributes.LeadStage).toHaveLength(1);

    // The connector (1 s cycle here) synced the qualified contact into the Salesforce lead the handoff works on.
    const { HUBSPOT_BASE_URL: hubspotUrl = '', HUBSPOT_ACCESS_TOKEN: token = '' } = printed.exports;
    const contact = (await (await fetch(`${hubspotUrl}/crm/v3/objects/contacts/${contactId}?properties=email`, { headers: { authorization: `Bearer ${token}` } })).json()) as { properties: { email: string } };
    const { SALESFORCE_LOGIN_URL: loginUrl = '', SALESFORCE_CLIENT_ID: clientId = '', SALESFORCE_CLIENT_SECRET: clientSecret = '' } = printed.exports;
    const salesforce = new SalesforceConnection({ loginUrl, version: '62.0', oauth2: { loginUrl, clientId, clientSecret } });
    await salesforce.authorize({ grant_type: 'client_credentials' });
    await until(
      async () => ((await salesforce.query(`SELECT Id FROM Lead WHERE Email = '${contact.properties.email}'`)).totalSize === 1 ? true : undefined),
      'the Salesforce lead',
      30_000,
      serve.output,
    );
  }, 120_000);
});
