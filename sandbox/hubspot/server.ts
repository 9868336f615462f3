/**
 * The HubSpot sandbox: CRM v3 over HTTP on loopback, speaking HubSpot's wire protocol (Bearer auth,
 * error bodies, rate-limit headers and 429s) so the official @hubspot/api-client talks to it unchanged.
 */
import { SANDBOX_DEFAULTS } from '../defaults';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { systemClock, type Clock } from '../clock';
import { createFaultInjector, registerFaultRoutes, type FaultInjector } from '../faults';
import { createRequestCounter, createSandboxApp, instrumentApp, listenOnLoopback, type RequestCounter } from '../http-server';
import { registerHubSpotTimestampRoute } from '../admin-timestamps';
import { HubSpotStore } from './contact-store';
import { HUBSPOT_PROFESSIONAL_LIMITS, HubSpotRateLimiter, RATE_LIMIT_MESSAGES, type HubSpotRateLimitConfig, type RateLimitPolicy } from './rate-limits';
import { registerContactRoutes } from './routes-contacts';
import { DEFAULT_SEARCH_LAG_MS } from './search-lag';
import { registerOwnerAndListRoutes } from './routes-owners-lists';
import { registerPropertyRoutes } from './routes-properties';
import { createWebhookDispatcher, type WebhookConfig, type WebhookDispatcher } from './webhooks';
import { sendHubSpotError } from './wire';

export interface HubSpotSandboxOptions {
  port?: number;
  accessToken?: string;
  portalId?: number;
  clientSecret?: string;
  rateLimits?: Partial<HubSpotRateLimitConfig>;
  webhooks?: WebhookConfig;
  clock?: Clock;
  store?: HubSpotStore;
  faultSeed?: number;
  /** How long a write takes to show in search (default DEFAULT_SEARCH_LAG_MS, as HubSpot indexes); 0 = at once. */
  searchLagMs?: number;
}

export interface HubSpotSandbox {
  baseUrl: string;
  accessToken: string;
  portalId: string;
  clientSecret: string;
  store: HubSpotStore;
  faults: FaultInjector;
  requests: RequestCounter;
  webhooks: WebhookDispatcher;
  stop(): Promise<void>;
}

function sendRateLimited(reply: FastifyReply, policy: RateLimitPolicy, headers: Record<string, string>): FastifyReply {
  return sendHubSpotError(reply.headers(headers), 429, undefined, RATE_LIMIT_MESSAGES[policy], { errorType: 'RATE_LIMIT', policyName: policy });
}

export async function startHubSpotSandbox(options: HubSpotSandboxOptions = {}): Promise<HubSpotSandbox> {
  const clock = options.clock ?? systemClock;
  const accessToken = options.accessToken ?? SANDBOX_DEFAULTS.hubspot.accessToken;
  const portalId = options.portalId ?? SANDBOX_DEFAULTS.hubspot.portalId;
  const clientSecret = options.clientSecret ?? SANDBOX_DEFAULTS.hubspot.clientSecret;
  const store = options.store ?? new HubSpotStore(clock);
  const limiter = new HubSpotRateLimiter({ ...HUBSPOT_PROFESSIONAL_LIMITS, ...options.rateLimits });
  const webhooks = createWebhookDispatcher({ portalId, clientSecret, ...(options.webhooks ? { config: options.webhooks } : {}) });
  const unsubscribe = store.onChange((changes) => webhooks.enqueue(changes));

  const app: FastifyInstance = createSandboxApp();
  const requests = createRequestCounter();
  const faults = createFaultInjector(
    {
      serverError: (reply) => sendHubSpotError(reply, 502, undefined, 'Bad Gateway'),
      rateLimited: (reply) => sendRateLimited(reply, 'TEN_SECONDLY_ROLLING', { ...limiter.headers(clock()), 'x-hubspot-ratelimit-remaining': '0' }),
      gatewayTimeout: (reply) => sendHubSpotError(reply, 504, undefined, 'Gateway Timeout'),
    },
    options.faultSeed,
  );
  instrumentApp(app, requests, faults);

  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.config.admin) return;
    const header = request.headers.authorization;
    if (!header?.startsWith('Bearer ')) {
      return sendHubSpotError(reply, 401, 'INVALID_AUTHENTICATION', 'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview');
    }
    if (header.slice('Bearer '.length) !== accessToken) {
      return sendHubSpotError(reply, 401, 'INVALID_AUTHENTICATION', 'The OAuth token used to make this call expired or is invalid.');
    }
    const kind = request.routeOptions.config.operation === 'contacts.search' ? 'search' : 'standard';
    const decision = limiter.take(kind, clock());
    if (!decision.allowed && decision.policy) return sendRateLimited(reply, decision.policy, decision.headers);
    if (kind === 'standard') void reply.headers(decision.headers);
  });

  app.setNotFoundHandler((request, reply) => sendHubSpotError(reply, 404, 'OBJECT_NOT_FOUND', `Unable to route ${request.method} request to ${request.url.split('?')[0] ?? ''}`));
  app.setErrorHandler((error, _request, reply) => {
    const status = typeof error === 'object' && error !== null && 'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500;
    return status < 500
      ? sendHubSpotError(reply, status, 'VALIDATION_ERROR', 'Invalid input JSON')
      : sendHubSpotError(reply, 500, undefined, 'internal error');
  });

  registerContactRoutes(app, store, { searchLagMs: options.searchLagMs ?? DEFAULT_SEARCH_LAG_MS, clock });
  registerOwnerAndListRoutes(app, store);
  registerPropertyRoutes(app, store);
  registerFaultRoutes(app, faults);
  registerHubSpotTimestampRoute(app, store);
  app.get('/__sandbox/requests', { config: { admin: true } }, async () => requests.all());

  const baseUrl = await listenOnLoopback(app, options.port ?? 0);
  return {
    baseUrl,
    accessToken,
    portalId: String(portalId),
    clientSecret,
    store,
    faults,
    requests,
    webhooks,
    async stop() {
      unsubscribe();
      webhooks.stop();
      faults.releaseHeld();
      await app.close();
    },
  };
}
