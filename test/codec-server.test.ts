import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { AesGcmPayloadCodec } from '../worker/codec';
import { registerCodecRoutes, tokensMatch } from '../worker/codec-server';
import { createHttpServer, type BridgeHttpServer } from '../worker/http-server';

const codec = new AesGcmPayloadCodec([{ id: 'k', key: randomBytes(32) }]);
const plainPayload = { metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from('"hi"').toString('base64') };
let server: BridgeHttpServer | undefined;

async function start(options: { authToken?: string; namespace?: string }): Promise<string> {
  server = createHttpServer({ logger: pino({ level: 'silent' }) });
  await registerCodecRoutes(server.app, { codec, prefix: '/codec', ...options });
  return server.listen({ port: 0, host: '127.0.0.1' });
}

afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('codec server', () => {
  it('answers the Temporal UI CORS preflight for its origins and headers', async () => {
    const base = await start({ authToken: 'a'.repeat(32) });
    for (const origin of ['http://localhost:8233', 'http://127.0.0.1:8233']) {
      const response = await fetch(`${base}/codec/decode`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace,authorization' },
      });
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe(origin);
      expect(response.headers.get('access-control-allow-headers')?.split(',').map((h) => h.trim())).toEqual(['content-type', 'x-namespace', 'authorization']);
    }
  });

  it('does not grant CORS to other origins', async () => {
    const base = await start({ authToken: 'a'.repeat(32) });
    const response = await fetch(`${base}/codec/decode`, {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a malformed body with 400', async () => {
    const token = 'b'.repeat(32);
    const base = await start({ authToken: token });
    const response = await fetch(`${base}/codec/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ payload: [] }),
    });
    expect(response.status).toBe(400);
  });

  it('refuses a namespace it does not serve', async () => {
    const token = 'c'.repeat(32);
    const base = await start({ authToken: token, namespace: 'handoff' });
    const call = (namespace: string) =>
      fetch(`${base}/codec/encode`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-namespace': namespace },
        body: JSON.stringify({ payloads: [plainPayload] }),
      });
    expect((await call('other')).status).toBe(400);
    expect((await call('handoff')).status).toBe(200);
  });

  it('serves loopback callers without a token when none is configured', async () => {
    const base = await start({});
    const response = await fetch(`${base}/codec/encode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ payloads: [plainPayload] }),
    });
    expect(response.status).toBe(200);
  });

  it('compares tokens by content', () => {
    expect(tokensMatch('same-token', 'same-token')).toBe(true);
    expect(tokensMatch('same-token', 'same-tokeN')).toBe(false);
    expect(tokensMatch('short', 'a-much-longer-token')).toBe(false);
  });
});
