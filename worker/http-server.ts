/**
 * The bridge's HTTP server: liveness and readiness for the orchestrator, and the place other modules
 * mount their routes (webhooks, signed action links, the codec, the dashboard).
 *
 * Request logging is done here, by route pattern rather than URL: URLs carry signed action tokens
 * and query strings that have no business in logs.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { createClientErrorLog } from './client-error-log';
import { fastifyTimeoutOptions, type HttpTimeouts } from './http-timeouts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The exact bytes received, for routes registered inside `withRawBody` (signature checks). */
    rawBody?: Buffer;
  }
}

/** Resolves when the process can do its job; throws (with a reason safe to show) when it cannot. */
export type ReadinessCheck = () => Promise<void>;

export interface HttpServerOptions {
  logger: Logger;
  /** Checks for /readyz, by name, e.g. `{ temporal: () => connection.workflowService.getSystemInfo({}) }`. */
  readiness?: Record<string, ReadinessCheck>;
  /** How long a readiness check may take before it counts as failed. */
  readinessTimeoutMs?: number;
  /** Headers and whole-request timeouts (HTTP_*_TIMEOUT_SECONDS); DEFAULT_HTTP_TIMEOUTS when unset. */
  timeouts?: HttpTimeouts;
}

export interface BridgeHttpServer {
  app: FastifyInstance;
  /** From now on /readyz answers 503, so load balancers stop sending work before the process stops. */
  markDraining(): void;
  listen(options: { port: number; host?: string }): Promise<string>;
  /** Stops accepting connections, lets in-flight requests finish, then resolves. */
  close(): Promise<void>;
}

async function withTimeout(check: ReadinessCheck, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    await Promise.race([check(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function routeOf(request: FastifyRequest): string {
  return request.routeOptions.url ?? 'unmatched';
}

export function createHttpServer(options: HttpServerOptions): BridgeHttpServer {
  // Typed as fastify's base logger so the instance type stays the plain FastifyInstance other modules take.
  const loggerInstance: FastifyBaseLogger = options.logger;
  const app = Fastify({
    loggerInstance,
    logController: new LogController({ disableRequestLogging: true }),
    // Answers 503 to requests that arrive while closing, and drops idle keep-alive sockets on close.
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // Signed action tokens (/actions/:token) run to ~500 characters; fastify answers 414 past its default 100.
    routerOptions: { maxParamLength: 1024 },
    ...fastifyTimeoutOptions(options.timeouts),
  });
  const clientError = createClientErrorLog(options.logger);
  let draining = false;

  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      { method: request.method, route: routeOf(request), statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime) },
      'request',
    );
  });

  // Fastify's own error log is off with request logging; keep failures visible, by route. A client's
  // mistake (4xx) is a short warn line, rate-limited; only the bridge's own failures are errors.
  app.addHook('onError', async (request, reply, error) => {
    const statusCode = typeof error.statusCode === 'number' ? error.statusCode : reply.statusCode;
    if (statusCode >= 400 && statusCode < 500) {
      clientError({ method: request.method, route: routeOf(request), statusCode, ...(error.code ? { code: error.code } : {}), reason: error.message });
      return;
    }
    request.log.error({ err: error, method: request.method, route: routeOf(request) }, 'request failed');
  });

  // A refusal sent before the body was read (401 on the headers, 413 on Content-Length) closes the
  // connection: otherwise Node reads and discards the rest of the body to keep the connection alive,
  // and a stranger's megabytes cost the bridge CPU after all.
  app.addHook('onSend', async (request, reply) => {
    if (reply.statusCode >= 400 && !request.raw.complete) reply.header('connection', 'close');
  });

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    if (draining) return reply.code(503).send({ status: 'draining' });
    const checks = Object.entries(options.readiness ?? {});
    const results = await Promise.all(
      checks.map(async ([name, check]) => {
        try {
          await withTimeout(check, options.readinessTimeoutMs ?? 2_000);
          return [name, 'ok'] as const;
        } catch (err) {
          options.logger.warn({ check: name, reason: err instanceof Error ? err.message : String(err) }, 'readiness check failed');
          return [name, 'failing'] as const;
        }
      }),
    );
    const ready = results.every(([, state]) => state === 'ok');
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', checks: Object.fromEntries(results) });
  });

  return {
    app,
    markDraining: () => {
      draining = true;
    },
    listen: ({ port, host = '0.0.0.0' }) => app.listen({ port, host }),
    close: async () => {
      draining = true;
      await app.close();
    },
  };
}

/**
 * Registers routes that need the exact request bytes (HubSpot signature v3 is computed over the raw
 * body). Inside `register`, JSON and form bodies are parsed as usual and `request.rawBody` holds the
 * bytes they were parsed from. Scoped, so other routes keep fastify's default parsers.
 */
export async function withRawBody(
  app: FastifyInstance,
  register: (scope: FastifyInstance) => void | Promise<void>,
  options: { prefix?: string } = {},
): Promise<void> {
  await app.register(
    async (scope) => {
      scope.removeContentTypeParser(['application/json', 'text/plain']);
      scope.addContentTypeParser(['application/json', 'text/plain', 'application/x-www-form-urlencoded'], { parseAs: 'buffer' }, (request, body, done) => {
        const raw = body as Buffer;
        request.rawBody = raw;
        if (raw.length === 0) return done(null, undefined);
        const type = request.headers['content-type'] ?? '';
        try {
          if (type.startsWith('application/json')) return done(null, JSON.parse(raw.toString('utf8')) as unknown);
          if (type.startsWith('application/x-www-form-urlencoded')) return done(null, Object.fromEntries(new URLSearchParams(raw.toString('utf8'))));
          return done(null, raw.toString('utf8'));
        } catch {
          const error = new Error('request body is not valid JSON') as Error & { statusCode: number };
          error.statusCode = 400;
          return done(error, undefined);
        }
      });
      await register(scope);
    },
    { prefix: options.prefix ?? '' },
  );
}
