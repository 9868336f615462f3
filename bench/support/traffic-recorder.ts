/**
 * A recording reverse proxy on loopback in front of a sandbox: every request the bridge makes passes
 * through it and is stamped with its time and answer. The figures (calls, 429s, the busiest rolling
 * window) then come from what crossed the wire, not from what the bridge believes it sent.
 */
import { createServer, request as forward, type IncomingMessage, type ServerResponse } from 'node:http';

export interface RecordedCall {
  at: number;
  method: string;
  path: string;
  status: number;
}

export interface TrafficRecorder {
  url: string;
  calls: RecordedCall[];
  /** Calls answered 429, or 403 REQUEST_LIMIT_EXCEEDED (Salesforce's rate-limit answer). */
  rateLimited(): number;
  /** The most calls that fell in any window of `windowMs` (every call counts, answered or refused). */
  busiestWindow(windowMs: number): number;
  reset(): void;
  close(): Promise<void>;
}

export async function startTrafficRecorder(targetUrl: string): Promise<TrafficRecorder> {
  const target = new URL(targetUrl);
  const calls: RecordedCall[] = [];
  const limitRefusals = new WeakSet<RecordedCall>();

  const handle = (incoming: IncomingMessage, outgoing: ServerResponse): void => {
    const call: RecordedCall = { at: Date.now(), method: incoming.method ?? 'GET', path: (incoming.url ?? '/').split('?')[0] ?? '/', status: 0 };
    calls.push(call);
    const upstream = forward(
      { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: { ...incoming.headers, host: target.host } },
      (answer) => {
        call.status = answer.statusCode ?? 0;
        if (call.status === 403 && answer.headers['sforce-limit-info']) limitRefusals.add(call);
        outgoing.writeHead(call.status, answer.headers);
        answer.pipe(outgoing);
      },
    );
    upstream.on('error', () => {
      call.status = 502;
      if (!outgoing.headersSent) outgoing.writeHead(502, { 'content-type': 'application/json' });
      outgoing.end('{"message":"recorder: upstream unreachable"}');
    });
    incoming.pipe(upstream);
  };

  const server = createServer(handle);
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('recorder did not bind a TCP port');

  return {
    url: `http://127.0.0.1:${address.port}`,
    calls,
    rateLimited: () => calls.filter((c) => c.status === 429 || limitRefusals.has(c)).length,
    busiestWindow(windowMs) {
      let busiest = 0;
      let start = 0;
      for (let end = 0; end < calls.length; end++) {
        const endAt = calls[end]?.at ?? 0;
        while ((calls[start]?.at ?? endAt) <= endAt - windowMs) start++;
        busiest = Math.max(busiest, end - start + 1);
      }
      return busiest;
    },
    reset: () => void calls.splice(0, calls.length),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
