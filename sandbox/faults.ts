/**
 * Run-time switchable faults for one sandbox: added latency, a rate of 5xx answers, 429 storms (or
 * Salesforce's REQUEST_LIMIT_EXCEEDED), and requests that hang until the client gives up. Rates are
 * rolled with a seeded PRNG so a failing run can be reproduced; `failNext` forces exact sequences.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { seededRandom } from './random';

export const faultSettingsSchema = z.object({
  latencyMs: z.number().int().min(0).max(120_000),
  serverErrorRate: z.number().min(0).max(1),
  rateLimitRate: z.number().min(0).max(1),
  timeoutRate: z.number().min(0).max(1),
  /** How long a "timeout" request is held open before the sandbox answers 504 itself. */
  timeoutHoldMs: z.number().int().min(0).max(600_000),
});
export type FaultSettings = z.infer<typeof faultSettingsSchema>;
export type FaultKind = 'serverError' | 'rateLimit' | 'timeout';

export const NO_FAULTS: FaultSettings = { latencyMs: 0, serverErrorRate: 0, rateLimitRate: 0, timeoutRate: 0, timeoutHoldMs: 120_000 };

/** How a sandbox words each fault on the wire (HubSpot and Salesforce bodies differ). */
export interface FaultResponders {
  serverError(reply: FastifyReply): FastifyReply;
  rateLimited(reply: FastifyReply): FastifyReply;
  gatewayTimeout(reply: FastifyReply): FastifyReply;
}

export interface FaultInjector {
  set(settings: Partial<FaultSettings>): FaultSettings;
  get(): FaultSettings;
  reset(): void;
  /** The next `count` requests fail with `kind`, whatever the rates say. */
  failNext(kind: FaultKind, count?: number): void;
  /** Called by the request hook: delays, or answers with a fault and returns true (the route must not run). */
  apply(reply: FastifyReply): Promise<boolean>;
  /** Lets every held "timeout" request go (the sandbox is stopping). */
  releaseHeld(): void;
}

export function createFaultInjector(responders: FaultResponders, seed = 1): FaultInjector {
  let settings: FaultSettings = { ...NO_FAULTS };
  const forced: FaultKind[] = [];
  const held = new Set<() => void>();
  const random = seededRandom(seed);

  const roll = (): FaultKind | undefined => {
    const next = forced.shift();
    if (next) return next;
    if (settings.timeoutRate > 0 && random.next() < settings.timeoutRate) return 'timeout';
    if (settings.serverErrorRate > 0 && random.next() < settings.serverErrorRate) return 'serverError';
    if (settings.rateLimitRate > 0 && random.next() < settings.rateLimitRate) return 'rateLimit';
    return undefined;
  };

  const hold = (reply: FastifyReply): Promise<void> =>
    new Promise((resolve) => {
      const release = (): void => {
        clearTimeout(timer);
        held.delete(release);
        resolve();
      };
      const timer = setTimeout(release, settings.timeoutHoldMs);
      held.add(release);
      reply.raw.once('close', release);
    });

  return {
    set(partial) {
      settings = faultSettingsSchema.parse({ ...settings, ...partial });
      return settings;
    },
    get: () => settings,
    reset() {
      settings = { ...NO_FAULTS };
      forced.length = 0;
    },
    failNext(kind, count = 1) {
      for (let i = 0; i < count; i++) forced.push(kind);
    },
    async apply(reply) {
      if (settings.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, settings.latencyMs));
      const fault = roll();
      if (fault === undefined) return false;
      if (fault === 'timeout') {
        await hold(reply);
        if (!reply.raw.destroyed) await responders.gatewayTimeout(reply);
      } else if (fault === 'serverError') {
        await responders.serverError(reply);
      } else {
        await responders.rateLimited(reply);
      }
      return true;
    },
    releaseHeld() {
      for (const release of [...held]) release();
    },
  };
}

/** GET/PUT /__sandbox/faults and POST /__sandbox/faults/reset: switch faults from curl or a demo. */
export function registerFaultRoutes(app: FastifyInstance, faults: FaultInjector): void {
  const failNextSchema = z.object({ kind: z.enum(['serverError', 'rateLimit', 'timeout']), count: z.number().int().min(1).max(10_000).default(1) });
  app.get('/__sandbox/faults', { config: { admin: true } }, async () => faults.get());
  app.put('/__sandbox/faults', { config: { admin: true } }, async (request, reply) => {
    const parsed = faultSettingsSchema.partial().safeParse(request.body);
    if (!parsed.success) return reply.code(400).send({ error: 'invalid fault settings', issues: parsed.error.issues.map((i) => i.path.join('.')) });
    return faults.set(parsed.data);
  });
  app.post('/__sandbox/faults/fail-next', { config: { admin: true } }, async (request, reply) => {
    const parsed = failNextSchema.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send({ error: 'expected {kind, count}' });
    faults.failNext(parsed.data.kind, parsed.data.count);
    return { queued: parsed.data.count };
  });
  app.post('/__sandbox/faults/reset', { config: { admin: true } }, async () => {
    faults.reset();
    return faults.get();
  });
}
