/**
 * What every sandbox server shares: a fastify instance bound to loopback, JSON on every response,
 * a per-operation request counter (how tests prove batching), and the fault hook.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { FaultInjector } from './faults';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A stable name for the operation a route serves, e.g. "contacts.batchRead". */
    operation?: string;
    /** Admin routes are never faulted, counted or rate limited. */
    admin?: boolean;
  }
}

export interface RequestCounter {
  count(operation: string): number;
  all(): Record<string, number>;
  reset(): void;
}

export function createRequestCounter(): RequestCounter & { add(operation: string): void } {
  const counts = new Map<string, number>();
  return {
    add: (operation) => counts.set(operation, (counts.get(operation) ?? 0) + 1),
    count: (operation) => counts.get(operation) ?? 0,
    all: () => Object.fromEntries(counts),
    reset: () => counts.clear(),
  };
}

export function createSandboxApp(): FastifyInstance {
  return Fastify({ logger: false, forceCloseConnections: true, routerOptions: { ignoreTrailingSlash: true } });
}

/** Counts each non-admin request by operation, then lets the fault injector act on it. */
export function instrumentApp(app: FastifyInstance, counter: ReturnType<typeof createRequestCounter>, faults: FaultInjector): void {
  app.addHook('onRequest', async (request, reply) => {
    const config = request.routeOptions.config;
    if (config.admin) return;
    counter.add(config.operation ?? `${request.method} ${request.routeOptions.url ?? request.url}`);
    if (await faults.apply(reply)) return reply;
  });
}

export async function listenOnLoopback(app: FastifyInstance, port: number): Promise<string> {
  await app.listen({ host: '127.0.0.1', port });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('sandbox did not bind a TCP port');
  return `http://127.0.0.1:${address.port}`;
}
