/**
 * The Salesforce sandbox: OAuth token endpoint, sObject REST, Collections, SOQL and the convertLead
 * action on loopback, speaking Salesforce's wire protocol so jsforce talks to it unchanged.
 */
import { SANDBOX_DEFAULTS } from '../defaults';
import formbody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';
import { systemClock, type Clock } from '../clock';
import { createFaultInjector, registerFaultRoutes, type FaultInjector } from '../faults';
import { createRequestCounter, createSandboxApp, instrumentApp, listenOnLoopback, type RequestCounter } from '../http-server';
import { createApiUsage, type ApiUsage } from './api-usage';
import { sendSalesforceError } from './errors';
import { createSessions, registerOAuthRoutes, type Sessions } from './oauth';
import { registerSalesforceTimestampRoute } from '../admin-timestamps';
import { registerActionRoutes } from './routes-actions';
import { registerCompositeRoutes } from './routes-composite';
import { registerQueryRoutes } from './routes-query';
import { registerSObjectRoutes } from './routes-sobjects';
import { SalesforceStore } from './store';

export interface SalesforceSandboxOptions {
  port?: number;
  clientId?: string;
  clientSecret?: string;
  jwtPublicKey?: string;
  sessionTtlMs?: number;
  /** Rolling 24 h API allocation (Enterprise with 15 licences: 115,000). */
  dailyApiLimit?: number;
  queryPageSize?: number;
  minQueryPageSize?: number;
  clock?: Clock;
  store?: SalesforceStore;
  faultSeed?: number;
}

export interface SalesforceSandbox {
  instanceUrl: string;
  loginUrl: string;
  clientId: string;
  clientSecret: string;
  /** A session of the integration user, for clients that take a token rather than authorizing. */
  accessToken: string;
  orgId: string;
  store: SalesforceStore;
  faults: FaultInjector;
  requests: RequestCounter;
  sessions: Sessions;
  usage: ApiUsage;
  stop(): Promise<void>;
}

const DATA_PATH = /^\/services\/data\/v\d+\.\d+\//;

export async function startSalesforceSandbox(options: SalesforceSandboxOptions = {}): Promise<SalesforceSandbox> {
  const clock = options.clock ?? systemClock;
  const store = options.store ?? new SalesforceStore(clock);
  const clientId = options.clientId ?? SANDBOX_DEFAULTS.salesforce.clientId;
  const clientSecret = options.clientSecret ?? SANDBOX_DEFAULTS.salesforce.clientSecret;
  const orgId = '00D8d000000SBXEAA4';
  const sessions = createSessions(clock, options.sessionTtlMs);
  const usage = createApiUsage(options.dailyApiLimit ?? 115_000, clock);
  let baseUrl = '';

  const app: FastifyInstance = createSandboxApp();
  await app.register(formbody);
  const requests = createRequestCounter();
  const faults = createFaultInjector(
    {
      serverError: (reply) => sendSalesforceError(reply, 503, 'SERVER_UNAVAILABLE', 'Server temporarily unavailable'),
      rateLimited: (reply) => sendSalesforceError(reply.header('sforce-limit-info', `api-usage=${usage.limit}/${usage.limit}`), 403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'),
      gatewayTimeout: (reply) => sendSalesforceError(reply, 503, 'SERVER_UNAVAILABLE', 'Request timed out'),
    },
    options.faultSeed,
  );
  instrumentApp(app, requests, faults);

  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.config.admin || !DATA_PATH.test(request.url)) return;
    const header = request.headers.authorization ?? '';
    const token = /^(Bearer|OAuth) (.+)$/.exec(header)?.[2];
    if (!token || !sessions.userFor(token)) return sendSalesforceError(reply, 401, 'INVALID_SESSION_ID', 'Session expired or invalid');
    if (!usage.take()) {
      return sendSalesforceError(reply.header('sforce-limit-info', usage.header()), 403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
    }
    void reply.header('sforce-limit-info', usage.header());
  });

  app.setNotFoundHandler((_request, reply) => sendSalesforceError(reply, 404, 'NOT_FOUND', 'The requested resource does not exist'));
  app.setErrorHandler((error, _request, reply) => {
    const status = typeof error === 'object' && error !== null && 'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500;
    return status < 500
      ? sendSalesforceError(reply, 400, 'JSON_PARSER_ERROR', 'The request body could not be parsed')
      : sendSalesforceError(reply, 500, 'UNKNOWN_EXCEPTION', 'An unexpected error occurred. Please include this ErrorId if you contact support.');
  });

  const base = '/services/data/:version';
  registerOAuthRoutes(app, {
    config: { clientId, clientSecret, ...(options.jwtPublicKey ? { jwtPublicKey: options.jwtPublicKey } : {}) },
    store,
    sessions,
    clock,
    orgId,
    baseUrl: () => baseUrl,
  });
  registerSObjectRoutes(app, store, base);
  registerCompositeRoutes(app, store, base);
  registerQueryRoutes(app, store, base, { defaultPageSize: options.queryPageSize ?? 2000, minPageSize: options.minQueryPageSize ?? 200 });
  registerActionRoutes(app, store, base, usage);
  registerFaultRoutes(app, faults);
  registerSalesforceTimestampRoute(app, store);
  app.get('/__sandbox/requests', { config: { admin: true } }, async () => requests.all());

  baseUrl = await listenOnLoopback(app, options.port ?? 0);
  return {
    instanceUrl: baseUrl,
    loginUrl: baseUrl,
    clientId,
    clientSecret,
    accessToken: sessions.issue(store.apiUserId),
    orgId,
    store,
    faults,
    requests,
    sessions,
    usage,
    async stop() {
      faults.releaseHeld();
      await app.close();
    },
  };
}
