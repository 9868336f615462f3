/**
 * Client errors (4xx: a body too large, a request aborted or timed out, a malformed body) are the
 * caller's problem, not the bridge's: they are logged at warn, as one short line without a stack,
 * and at most `limit` lines per window, so a flood of bad requests cannot flood the logs. The first
 * line after a full window says how many were left out.
 */
import type { Logger } from 'pino';

export interface ClientErrorLogOptions {
  /** Lines per window; the rest are counted, not written. */
  limit?: number;
  windowMs?: number;
  now?: () => number;
}

export interface ClientErrorFields {
  method: string;
  route: string;
  statusCode: number;
  /** Fastify's or Node's error code (FST_ERR_CTP_BODY_TOO_LARGE, ERR_HTTP_REQUEST_TIMEOUT). */
  code?: string;
  reason: string;
}

export function createClientErrorLog(logger: Logger, options: ClientErrorLogOptions = {}): (fields: ClientErrorFields) => void {
  const limit = options.limit ?? 20;
  const windowMs = options.windowMs ?? 10_000;
  const now = options.now ?? Date.now;
  let windowStart = -Infinity;
  let written = 0;
  let suppressed = 0;
  return (fields) => {
    const at = now();
    if (at - windowStart >= windowMs) {
      windowStart = at;
      written = 0;
    }
    if (written >= limit) {
      suppressed += 1;
      return;
    }
    written += 1;
    logger.warn({ ...fields, ...(suppressed ? { suppressedSinceLastLine: suppressed } : {}) }, 'client error');
    suppressed = 0;
  };
}
