import { randomBytes } from 'node:crypto';
import { Client } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createCanaryActivities } from '../activities/canary';
import { canary, type CanaryInput } from '../workflows/canary';
import { AesGcmPayloadCodec, CodecKeyError, dataConverterFor, ENCRYPTED_ENCODING } from '../worker/codec';
import type { CodecKey } from '../worker/config';
import { createBridgeWorker } from '../worker/create-worker';
import { devServerEnv, uniqueTaskQueue } from './helpers/temporal';

const EMAIL = 'jane.doe@acme-example.com';
const keyA: CodecKey = { id: 'key-2026-a', key: randomBytes(32) };
const keyB: CodecKey = { id: 'key-2026-b', key: randomBytes(32) };
const utf8 = new TextEncoder();
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? new Uint8Array()).toString('utf8');

function jsonPayload(value: unknown): Payload {
  return { metadata: { encoding: utf8.encode('json/plain') }, data: utf8.encode(JSON.stringify(value)) };
}

describe('AES-GCM payload codec', () => {
  it('round-trips a payload and hides its content', async () => {
    const codec = new AesGcmPayloadCodec([keyA]);
    const original = jsonPayload({ email: EMAIL });
    const [encoded] = await codec.encode([original]);
    expect(text(encoded?.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(text(encoded?.metadata?.['encryption-key-id'])).toBe(keyA.id);
    expect(Buffer.from(encoded?.data ?? []).includes(EMAIL)).toBe(false);
    const [decoded] = await codec.decode(encoded ? [encoded] : []);
    expect(text(decoded?.data)).toBe(JSON.stringify({ email: EMAIL }));
    expect(text(decoded?.metadata?.encoding)).toBe('json/plain');
  });

  it('encrypts with the first key and still decrypts payloads written with an older key', async () => {
    const oldWriter = new AesGcmPayloadCodec([keyA]);
    const rotated = new AesGcmPayloadCodec([keyB, keyA]);
    const [old] = await oldWriter.encode([jsonPayload('before rotation')]);
    const [fresh] = await rotated.encode([jsonPayload('after rotation')]);
    expect(text(fresh?.metadata?.['encryption-key-id'])).toBe(keyB.id);
    const decoded = await rotated.decode([old!, fresh!]);
    expect(decoded.map((p) => text(p.data))).toEqual(['"before rotation"', '"after rotation"']);
  });

  it('refuses a payload whose key id is unknown, naming the id only', async () => {
    const [encoded] = await new AesGcmPayloadCodec([keyB]).encode([jsonPayload(EMAIL)]);
    await expect(new AesGcmPayloadCodec([keyA]).decode([encoded!])).rejects.toThrow(new CodecKeyError(`no codec key with id "${keyB.id}" (was it removed from CODEC_KEYS too early?)`));
  });

  it('detects tampering through the GCM tag', async () => {
    const codec = new AesGcmPayloadCodec([keyA]);
    const [encoded] = await codec.encode([jsonPayload(EMAIL)]);
    const data = Buffer.from(encoded!.data!);
    data[20] = (data[20] ?? 0) ^ 0xff;
    await expect(codec.decode([{ ...encoded, data }])).rejects.toBeInstanceOf(CodecKeyError);
  });

  it('passes unencrypted payloads through on decode (history from before encryption)', async () => {
    const plain = jsonPayload('legacy');
    expect(await new AesGcmPayloadCodec([keyA]).decode([plain])).toEqual([plain]);
  });

  it('is a no-op data converter without keys', () => {
    expect(dataConverterFor([]).payloadCodecs).toEqual([]);
  });
});

describe('on the real dev server', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await devServerEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  /** Runs the canary with an email in its input and memo; returns the finished history as bytes. */
  async function runCanaryWithEmail(keys: CodecKey[]): Promise<temporal.api.history.v1.IHistory> {
    const dataConverter = dataConverterFor(keys);
    const taskQueue = uniqueTaskQueue('codec');
    const client = new Client({ connection: env.connection, namespace: 'default', dataConverter });
    const worker = await createBridgeWorker({
      connection: env.nativeConnection,
      taskQueue,
      activities: createCanaryActivities(),
      workflowBundle: { codePath: inject('workflowBundlePath') },
      overrides: { dataConverter },
    });
    // The canary ignores fields it does not know; what matters is that the email is in the input payload.
    const input: CanaryInput & { note: string } = { note: `lead ${EMAIL}` };
    const workflowId = `codec-${taskQueue}`;
    await worker.runUntil(
      client.workflow.execute(canary, { taskQueue, workflowId, args: [input], memo: { label: `Jane Doe <${EMAIL}>` } }),
    );
    return client.workflow.getHandle(workflowId).fetchHistory();
  }

  const historyBytes = (history: temporal.api.history.v1.IHistory) => Buffer.from(temporal.api.history.v1.History.encode(history).finish());

  it('keeps the plain email out of the stored history when the codec is on', async () => {
    const withoutCodec = await runCanaryWithEmail([]);
    // The control proves the check can see an email when one is stored.
    expect(historyBytes(withoutCodec).includes(EMAIL)).toBe(true);

    const withCodec = await runCanaryWithEmail([keyA]);
    expect(historyBytes(withCodec).includes(EMAIL)).toBe(false);
    const started = withCodec.events?.[0]?.workflowExecutionStartedEventAttributes;
    expect(text(started?.input?.payloads?.[0]?.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
  });

  it('lets the codec server decode that history for an authorised caller only', async () => {
    const { createHttpServer } = await import('../worker/http-server');
    const { registerCodecRoutes } = await import('../worker/codec-server');
    const history = await runCanaryWithEmail([keyA]);
    const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
    const payloads = [...(started?.input?.payloads ?? []), ...Object.values(started?.memo?.fields ?? {})].map((p) => ({
      metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
      data: Buffer.from(p.data ?? []).toString('base64'),
    }));
    expect(payloads).toHaveLength(2);

    const token = randomBytes(24).toString('base64url');
    const server = createHttpServer({ logger: pino({ level: 'silent' }) });
    await registerCodecRoutes(server.app, { codec: new AesGcmPayloadCodec([keyA]), authToken: token, prefix: '/codec' });
    const base = await server.listen({ port: 0, host: '127.0.0.1' });
    try {
      const decode = (headers: Record<string, string>) =>
        fetch(`${base}/codec/decode`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-namespace': 'default', ...headers },
          body: JSON.stringify({ payloads }),
        });

      const authorised = await decode({ authorization: `Bearer ${token}` });
      expect(authorised.status).toBe(200);
      const body = (await authorised.json()) as { payloads: Array<{ metadata: Record<string, string>; data: string }> };
      const plain = body.payloads.map((p) => Buffer.from(p.data, 'base64').toString('utf8'));
      expect(plain[0]).toBe(JSON.stringify({ note: `lead ${EMAIL}` }));
      expect(plain[1]).toBe(JSON.stringify(`Jane Doe <${EMAIL}>`));
      expect(Buffer.from(body.payloads[0]?.metadata.encoding ?? '', 'base64').toString()).toBe('json/plain');

      expect((await decode({})).status).toBe(401);
      expect((await decode({ authorization: 'Bearer wrong-token' })).status).toBe(401);

      const encoded = await fetch(`${base}/codec/encode`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ payloads: body.payloads }),
      });
      const reEncoded = (await encoded.json()) as { payloads: Array<{ metadata: Record<string, string>; data: string }> };
      expect(Buffer.from(reEncoded.payloads[0]?.metadata.encoding ?? '', 'base64').toString()).toBe(ENCRYPTED_ENCODING);
      expect(Buffer.from(reEncoded.payloads[0]?.data ?? '', 'base64').includes(EMAIL)).toBe(false);
    } finally {
      await server.close();
    }
  });
});
