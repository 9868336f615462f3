import { createHmac } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpServer, withRawBody, type BridgeHttpServer } from '../worker/http-server';

let server: BridgeHttpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const silent = pino({ level: 'silent' });

describe('http server', () => {
  it('answers liveness without consulting readiness checks', async () => {
    server = createHttpServer({ logger: silent, readiness: { temporal: () => Promise.reject(new Error('down')) } });
    const response = await server.app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
  });

  it('is ready only when every readiness check passes, and names the failing one', async () => {
    let temporalUp = false;
    server = createHttpServer({
      logger: silent,
      readiness: { temporal: async () => { if (!temporalUp) throw new Error('connection refused'); }, contract: async () => undefined },
    });
    const down = await server.app.inject({ method: 'GET', url: '/readyz' });
    expect(down.statusCode).toBe(503);
    expect(down.json()).toEqual({ status: 'not ready', checks: { temporal: 'failing', contract: 'ok' } });
    temporalUp = true;
    const up = await server.app.inject({ method: 'GET', url: '/readyz' });
    expect(up.statusCode).toBe(200);
    expect(up.json()).toEqual({ status: 'ready', checks: { temporal: 'ok', contract: 'ok' } });
  });

  it('counts a readiness check that hangs as failing', async () => {
    server = createHttpServer({ logger: silent, readiness: { temporal: () => new Promise(() => undefined) }, readinessTimeoutMs: 50 });
    expect((await server.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(503);
  });

  it('reports not ready once draining, so traffic moves away before shutdown', async () => {
    server = createHttpServer({ logger: silent });
    expect((await server.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    server.markDraining();
    const response = await server.app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({ status: 'draining' });
  });

  it('gives raw-body routes the exact bytes received, and parses them too', async () => {
    server = createHttpServer({ logger: silent });
    const secret = 'client-secret';
    await withRawBody(server.app, (scope) => {
      scope.post('/webhooks/test', async (request) => {
        const signature = createHmac('sha256', secret).update(request.rawBody ?? Buffer.alloc(0)).digest('base64');
        return { signature, parsed: request.body };
      });
    });
    server.app.post('/plain', async (request) => ({ hasRaw: request.rawBody !== undefined }));
    // Unusual spacing: a re-serialised body would sign differently.
    const payload = '[ {"objectId":  1, "note":"caf\u00e9"} ]';
    const response = await server.app.inject({ method: 'POST', url: '/webhooks/test', headers: { 'content-type': 'application/json' }, payload });
    expect(response.json()).toEqual({
      signature: createHmac('sha256', secret).update(Buffer.from(payload)).digest('base64'),
      parsed: [{ objectId: 1, note: 'caf\u00e9' }],
    });
    const plain = await server.app.inject({ method: 'POST', url: '/plain', headers: { 'content-type': 'application/json' }, payload: '{}' });
    expect(plain.json()).toEqual({ hasRaw: false });
  });

  it('answers 400 to invalid JSON on a raw-body route', async () => {
    server = createHttpServer({ logger: silent });
    await withRawBody(server.app, (scope) => {
      scope.post('/webhooks/test', async () => ({ ok: true }));
    });
    const response = await server.app.inject({ method: 'POST', url: '/webhooks/test', headers: { 'content-type': 'application/json' }, payload: '{nope' });
    expect(response.statusCode).toBe(400);
  });

  it('logs requests by route pattern, never the URL with its token', async () => {
    const lines: string[] = [];
    const destination = new Writable({ write(chunk: Buffer, _e, done) { lines.push(chunk.toString()); done(); } });
    server = createHttpServer({ logger: pino({ level: 'info' }, destination) });
    server.app.get('/actions/:token', async () => ({ ok: true }));
    await server.app.inject({ method: 'GET', url: '/actions/eyJ3IjoiaGFuZG9mZiJ9.c2lnbmF0dXJl?x=1' });
    const logged = lines.join('');
    expect(logged).toContain('"route":"/actions/:token"');
    expect(logged).not.toContain('eyJ3IjoiaGFuZG9mZiJ9');
  });

  it('lets an in-flight request finish when closing', async () => {
    server = createHttpServer({ logger: silent });
    let release: () => void = () => undefined;
    let arrived: () => void = () => undefined;
    const hasArrived = new Promise<void>((resolve) => { arrived = resolve; });
    server.app.get('/slow', async () => {
      const released = new Promise<void>((resolve) => { release = resolve; });
      arrived();
      await released;
      return { done: true };
    });
    const base = await server.listen({ port: 0, host: '127.0.0.1' });
    const inFlight = fetch(`${base}/slow`);
    await hasArrived;
    const closing = server.close();
    release();
    const response = await inFlight;
    expect(await response.json()).toEqual({ done: true });
    await closing;
    server = undefined;
  });
});
