/**
 * Failures a person can act on: one line on stderr saying what and where, exit 1, no stack trace,
 * from the CLI's one error boundary. In-process where nothing process-wide is started; real processes
 * for the long-running commands (serve, ingress, sandbox).
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure, defaultPayloadConverter, RetryState } from '@temporalio/common';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { hubspotFailure } from '../activities/crm';
import { describeError } from '../worker/cli/errors';
import { AesGcmPayloadCodec } from '../worker/codec';
import { cli, spawnCli } from './helpers/cli';
import { quietPort } from '../worker/dev-server';

/** A port on which nothing listens: taken from the system, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let busy: Server;
let busyPort: number;
beforeAll(async () => {
  busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  busyPort = (busy.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise((resolve) => busy.close(resolve));
});
afterEach(() => {
  vi.unstubAllEnvs();
});

function expectOneLineFailure(result: { code: number | null; stderr: string }, line: string | RegExp): void {
  expect(result.code).toBe(1);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  if (typeof line === 'string') expect(lines[0]).toBe(line);
  else expect(lines[0]).toMatch(line);
}

describe('Temporal unreachable', () => {
  it.each([
    ['leads stuck', ['leads', 'stuck']],
    ['lead show', ['lead', 'show', '1001', '--portal', '62515']],
    ['setup-temporal', ['setup-temporal']],
    ['reconcile', ['reconcile', '--out', 'OUT']],
  ])('%s says which address, and what to start', async (_name, args) => {
    const address = `127.0.0.1:${await closedPort()}`;
    vi.stubEnv('TEMPORAL_ADDRESS', address);
    const out = mkdtempSync(join(tmpdir(), 'cli-unreachable-'));
    const result = await cli(...args.map((a) => (a === 'OUT' ? out : a)));
    expectOneLineFailure(result, `handoff-bridge: cannot reach Temporal at ${address} (is \`npm start\` or the cluster running?)`);
    expect(readdirSync(out)).toEqual([]);
  });
});

describe('lead show with a bad client configuration', () => {
  it('names TEMPORAL_ADDRESS when it is not host:port', async () => {
    vi.stubEnv('TEMPORAL_ADDRESS', 'nonsense');
    expectOneLineFailure(await cli('lead', 'show', '1001', '--portal', '62515'), /^handoff-bridge: Invalid configuration \(environment variables\): TEMPORAL_ADDRESS: must be host:port$/);
  });

  it('names CODEC_KEYS when a key is malformed, without echoing it', async () => {
    vi.stubEnv('CODEC_KEYS', 'k1:c2hvcnQ=');
    const result = await cli('lead', 'show', '1001', '--portal', '62515');
    expectOneLineFailure(result, /^handoff-bridge: Invalid configuration .*CODEC_KEYS: key "k1" must be 32 bytes of base64/);
    expect(result.stderr).not.toContain('c2hvcnQ=');
  });

  it('says what to set when payloads are encrypted and CODEC_KEYS is missing or lacks the key', async () => {
    const key = { id: 'k-2026', key: Buffer.alloc(32, 7) };
    const [encrypted] = await new AesGcmPayloadCodec([key]).encode([defaultPayloadConverter.toPayload({ stage: 'AwaitingAcceptance' })]);
    const withoutKeys = (() => {
      try {
        return defaultPayloadConverter.fromPayload(encrypted!);
      } catch (err) {
        return err;
      }
    })();
    expect(describeError(withoutKeys)).toBe('the payloads are encrypted and CODEC_KEYS is not set: set it to the keys the bridge encrypts with');
    const wrongKey = await new AesGcmPayloadCodec([{ id: 'other', key: Buffer.alloc(32, 9) }]).decode([encrypted!]).catch((err: unknown) => err);
    expect(describeError(wrongKey)).toBe('no codec key with id "k-2026" (was it removed from CODEC_KEYS too early?)');
  });
});

describe('CRM credentials refused', () => {
  it('names the system and the variables to check', () => {
    const refusal = hubspotFailure('listContacts', { code: 401, body: { category: 'INVALID_AUTHENTICATION' }, headers: {} });
    const failed = new WorkflowFailedError('Workflow execution failed', new ActivityFailure('activity failed', 'listContacts', 'a1', RetryState.NON_RETRYABLE_FAILURE, 'worker', refusal), RetryState.NON_RETRYABLE_FAILURE);
    expect(describeError(failed)).toBe('HubSpot refused the credentials in HUBSPOT_ACCESS_TOKEN (hubspot.listContacts failed: HTTP 401 INVALID_AUTHENTICATION): check them and try again');
    const salesforce = ApplicationFailure.create({ type: 'CrmUnauthorized', message: 'salesforce.query failed: INVALID_SESSION_ID' });
    expect(describeError(salesforce)).toMatch(/^Salesforce refused the credentials in SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET \(or SALESFORCE_ACCESS_TOKEN\)/);
  });
});

describe('sla render', () => {
  it('says which path cannot be written', async () => {
    expectOneLineFailure(await cli('sla', 'render', '--out', '/nonexistent/dir/x.md'), 'handoff-bridge: cannot write or open /nonexistent/dir/x.md: no such file or directory');
  });
});

describe('the long-running commands', () => {
  it('sandbox says which port is taken, and leaves nothing listening', async () => {
    const result = await cli('sandbox', '--hubspot-port', '0', '--salesforce-port', String(busyPort), '--contacts', '1');
    expectOneLineFailure(result, `handoff-bridge: cannot listen: port ${busyPort} on 127.0.0.1 is already in use (stop what holds it, or choose another port)`);
  });

  // Real processes: serve installs the process-wide Temporal runtime, and each must end by itself.
  it('serve and ingress fail in one line on a missing contract, Temporal down, or a busy port', { timeout: 120_000 }, async () => {
    const base = { LINK_SIGNING_SECRET: 'x'.repeat(32), HANDOFF_CONTRACT: '', CODEC_KEYS: '', LOG_LEVEL: 'silent' };
    // Each child's METRICS_PORT and the Runtime's exporter beside it (METRICS_PORT + 1): six free ports in
    // a row, outside the ephemeral range where this run's own connections take ports ("Failed to start
    // prometheus metrics exporter: Address already in use", seen once in CI with a port from closedPort).
    const metricsPorts = await quietPort(5);
    const env = (child: number, extra: Record<string, string>) => ({ ...base, METRICS_PORT: String(metricsPorts + 2 * child), ...extra });
    const [noContract, down, portTaken] = await Promise.all([
      spawnCli(['serve'], { env: env(0, { HANDOFF_CONTRACT: '/nonexistent.yaml', TEMPORAL_ADDRESS: inject('temporalAddress') }), timeoutMs: 90_000 }),
      // Drift allowed: this case is Temporal being down, not the start-up check of the contract against the CRMs.
      spawnCli(['serve'], { env: env(1, { TEMPORAL_ADDRESS: `127.0.0.1:${await closedPort()}`, HANDOFF_ALLOW_DRIFT: '1' }), timeoutMs: 90_000 }),
      spawnCli(['ingress'], { env: env(2, { INGRESS_PORT: String(busyPort), TEMPORAL_ADDRESS: inject('temporalAddress') }), timeoutMs: 90_000 }),
    ]);
    expectOneLineFailure(noContract, /^handoff-bridge: invalid SLA contract \/nonexistent\.yaml .*file not found$/);
    expectOneLineFailure(down, /^handoff-bridge: cannot reach Temporal at 127\.0\.0\.1:\d+ \(is `npm start` or the cluster running\?\)$/);
    // The ingress listens on every interface (containers), so the port is taken there.
    expectOneLineFailure(portTaken, new RegExp(`^handoff-bridge: cannot listen: port ${busyPort} on 0\\.0\\.0\\.0 is already in use \\(stop what holds it, or choose another port\\)$`));
  });
});
