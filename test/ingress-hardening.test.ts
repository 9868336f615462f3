/**
 * The ingress as an attacker and an operator meet it, through HTTP against a running bridge
 * (startBridge, mode all, on the dev server and sandboxes): slow senders are cut off, the codec
 * checks its token before reading a body and bounds the body, client errors are short rate-limited
 * warnings, webhook timestamps may not run ahead, link tokens have one spelling, and METRICS_PORT
 * answers. (Handoff link pages: test/ingress-links.test.ts.)
 */
import { connect } from 'node:net';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signActionToken } from '../activities/notify';
import { SANDBOX_DEFAULTS } from '../sandbox/defaults';
import type { RunningBridge } from '../worker/bridge';
import { signV3 } from '../worker/hubspot-signature';
import { LINK_SECRET, startHandoffHarness, type HandoffHarness } from './helpers/handoff';
import { startTestBridge, type TestBridge } from './helpers/running-bridge';

const CODEC_TOKEN = 'codec-token-0123456789abcdef';
let h: HandoffHarness;
let running: TestBridge;
let bridge: RunningBridge;

beforeAll(async () => {
  h = await startHandoffHarness();
  running = await startTestBridge(h, {
    CODEC_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    CODEC_AUTH_TOKEN: CODEC_TOKEN,
    CODEC_CORS_ORIGINS: 'https://temporal.example.com',
    // Short limits, so the test sees them act within seconds.
    HTTP_HEADERS_TIMEOUT_SECONDS: '1',
    HTTP_REQUEST_TIMEOUT_SECONDS: '2',
  });
  bridge = running.bridge;
}, 60_000);

afterAll(async () => {
  await running?.stop();
  await h?.stop();
});

/**
 * Opens a raw connection, writes `head`, then one byte of `drip` every 200 ms; resolves with how long
 * the server kept the socket open and what it answered (or 'still open' after `giveUpMs`).
 */
function trickle(head: string, drip: string, giveUpMs: number): Promise<{ ms: number; answer: string }> {
  const { port } = new URL(bridge.ingressUrl);
  return new Promise((resolve) => {
    const started = Date.now();
    let answer = '';
    const socket = connect(Number(port), '127.0.0.1', () => socket.write(head));
    let i = 0;
    const timer = setInterval(() => {
      if (!socket.destroyed && i < drip.length) socket.write(drip[i++] ?? '');
    }, 200);
    const done = (how: string) => {
      clearInterval(timer);
      clearTimeout(giveUp);
      socket.destroy();
      resolve({ ms: Date.now() - started, answer: how === 'closed' ? answer : how });
    };
    const giveUp = setTimeout(() => done('still open'), giveUpMs);
    socket.on('data', (d: Buffer) => (answer += d.toString()));
    socket.on('close', () => done('closed'));
    socket.on('error', () => undefined);
  });
}

const host = () => new URL(bridge.ingressUrl).host;

describe('timeouts on every route', () => {
  it('closes a connection whose body trickles in for longer than HTTP_REQUEST_TIMEOUT_SECONDS (2 s here)', async () => {
    const head = `POST /webhooks/hubspot HTTP/1.1\r\nHost: ${host()}\r\nContent-Type: application/json\r\nContent-Length: 4000\r\n\r\n`;
    const { ms, answer } = await trickle(head, 'x'.repeat(4000), 7_000);
    expect(answer).not.toBe('still open');
    expect(ms).toBeLessThan(4_500);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it('closes a connection whose headers trickle in for longer than HTTP_HEADERS_TIMEOUT_SECONDS (1 s here)', async () => {
    const { ms, answer } = await trickle(`GET /healthz HTTP/1.1\r\nHost: ${host()}\r\n`, 'X-Slow: ' + 'a'.repeat(200), 7_000);
    expect(answer).not.toBe('still open');
    expect(ms).toBeLessThan(3_500);
  });
});

describe('the codec endpoint', () => {
  it('answers 401 to an unauthenticated post from its headers alone, without waiting for (or reading) the body', async () => {
    // 15 MB announced, 10 bytes sent: only a server that reads the body first would wait.
    const head = `POST /codec/decode HTTP/1.1\r\nHost: ${host()}\r\nContent-Type: application/json\r\nContent-Length: ${15 * 1024 * 1024}\r\n\r\n{"payload`;
    const { ms, answer } = await trickle(head, '', 1_500);
    expect(answer).toMatch(/^HTTP\/1\.1 401/);
    expect(ms).toBeLessThan(1_000);
  });

  it('refuses an authenticated body beyond what the UI sends (one 2 MB payload, base64) with 413', async () => {
    const data = Buffer.alloc(3 * 1024 * 1024, 1).toString('base64');
    const response = await fetch(`${bridge.ingressUrl}/codec/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${CODEC_TOKEN}`, 'x-namespace': 'default' },
      body: JSON.stringify({ payloads: [{ metadata: {}, data }] }),
    });
    expect(response.status).toBe(413);
  });
});

describe('the codec CORS origins', () => {
  it('answers the preflight for the origins in CODEC_CORS_ORIGINS, and not for the local UI it replaced', async () => {
    const preflight = (origin: string) =>
      fetch(`${bridge.ingressUrl}/codec/decode`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,x-namespace' },
      });
    expect((await preflight('https://temporal.example.com')).headers.get('access-control-allow-origin')).toBe('https://temporal.example.com');
    expect((await preflight('http://localhost:8233')).headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('client errors in the logs', () => {
  it('logs 4xx as short warn lines without stacks, at most 20 per 10 s, and no error line', async () => {
    const { lines } = running;
    const before = lines.length;
    const big = 'x'.repeat(1_100_000); // over fastify's default 1 MB body limit: 413 on the webhook route
    for (let i = 0; i < 30; i++) {
      const response = await fetch(`${bridge.ingressUrl}/webhooks/hubspot`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
      expect(response.status).toBe(413);
    }
    await new Promise((r) => setTimeout(r, 200));
    const fresh = lines.slice(before);
    expect(fresh.filter((l) => l.level === 'error')).toEqual([]);
    const warned = fresh.filter((l) => l.level === 'warn' && l.msg === 'client error');
    expect(warned.length).toBeGreaterThan(0);
    expect(warned.length).toBeLessThanOrEqual(20);
    expect(warned[0]).toMatchObject({ statusCode: 413, route: '/webhooks/hubspot' });
    expect(JSON.stringify(warned)).not.toContain('"stack"');
  });
});

describe('webhook signatures', () => {
  it('refuses a correctly signed webhook stamped 60 s in the future', async () => {
    const body = JSON.stringify([{ eventId: 1, portalId: Number(h.portalId), occurredAt: Date.now(), subscriptionType: 'company.creation', objectId: 1 }]);
    const uri = `${bridge.ingressUrl}/webhooks/hubspot`;
    const send = (timestamp: number) =>
      fetch(uri, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-hubspot-request-timestamp': String(timestamp),
          'x-hubspot-signature-v3': signV3({ clientSecret: SANDBOX_DEFAULTS.hubspot.clientSecret, method: 'POST', uri, rawBody: body, timestamp: String(timestamp) }),
        },
        body,
      });
    const ahead = await send(Date.now() + 60_000);
    expect(ahead.status).toBe(401);
    expect(((await ahead.json()) as { reason: string }).reason).toMatch(/future/);
    // The same request within the skew allowance goes through (it is a company event: ignored).
    expect((await send(Date.now() + 5_000)).status).toBe(200);
  });
});

describe('link tokens', () => {
  it('refuses a token whose last character is another spelling of the same signature bytes', async () => {
    const token = signActionToken({ workflowId: 'handoff:1:2', action: 'accept', repId: 'r1', expiresAt: new Date(Date.now() + 3_600_000).toISOString() }, LINK_SECRET);
    const last = token.slice(-1);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const signature = token.slice(token.indexOf('.') + 1);
    const twin = [...alphabet].find((c) => c !== last && Buffer.from(signature.slice(0, -1) + c, 'base64url').equals(Buffer.from(signature, 'base64url')));
    expect(twin).toBeDefined();
    const response = await fetch(`${bridge.ingressUrl}/actions/${token.slice(0, -1)}${twin ?? ''}`);
    expect(response.status).toBe(401);
  });
});

describe('METRICS_PORT', () => {
  it("serves the bridge's metrics on /metrics", async () => {
    const response = await fetch(`http://127.0.0.1:${running.metricsPort}/metrics`);
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/^crm_requests_total\{system="hubspot"\} \d+$/m);
  });
});
