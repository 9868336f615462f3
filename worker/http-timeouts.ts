/**
 * Timeouts for every HTTP server the bridge runs (ingress and metrics): a client gets
 * `headersTimeoutMs` to send its headers and `requestTimeoutMs` for the whole request, body
 * included, then the socket is answered 408 and closed. Node checks these only every
 * `connectionsCheckingInterval` (30 s by default, which would double a 30 s limit), so the check
 * runs every second here.
 */
import { DEFAULT_HTTP_TIMEOUTS } from './config';

export interface HttpTimeouts {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
}

export const DEFAULT_TIMEOUTS_MS: HttpTimeouts = {
  headersTimeoutMs: DEFAULT_HTTP_TIMEOUTS.headersSeconds * 1000,
  requestTimeoutMs: DEFAULT_HTTP_TIMEOUTS.requestSeconds * 1000,
};

/** Fastify options applying the timeouts to its Node server. */
export function fastifyTimeoutOptions(timeouts: HttpTimeouts = DEFAULT_TIMEOUTS_MS) {
  const requestTimeout = timeouts.requestTimeoutMs;
  // Node refuses a headers timeout longer than the request timeout; the request one bounds both.
  const headersTimeout = Math.min(timeouts.headersTimeoutMs, requestTimeout);
  return {
    requestTimeout,
    // An idle socket (nothing sent at all after a response) is closed after the same time.
    connectionTimeout: requestTimeout,
    http: { headersTimeout, requestTimeout, connectionsCheckingInterval: Math.min(1_000, headersTimeout) },
  };
}
