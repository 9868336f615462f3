/**
 * The one way the bridge builds an @hubspot/api-client Client: SDK retries off (Temporal owns retries;
 * the SDK's retry state is process-wide), a per-request deadline on the sockets, and every request
 * reported to the process's request meter through the SDK's own middleware hooks.
 */
import { Client } from '@hubspot/api-client';
import { deadlineAgent } from './http-deadline';
import { UNMETERED, type CrmRequestMeter } from './request-meter';

export interface HubSpotClientOptions {
  accessToken: string;
  /** A sandbox's base URL; unset for the real API. */
  basePath?: string;
  requestTimeoutMs?: number;
  /** Counts each request and each 429 (the bridge's crm_* metrics). */
  meter?: CrmRequestMeter;
}

export const HUBSPOT_API = 'https://api.hubapi.com';

/**
 * @hubspot/api-client 13.x applies the configured middleware (the http agent, the User-agent header,
 * the meter below) only when a call passes options: without them a hung request would never time
 * out. Every call passes these, appending nothing to the configured middleware.
 */
export const CALL_OPTIONS: { middleware: never[]; middlewareMergeStrategy: 'append' } = { middleware: [], middlewareMergeStrategy: 'append' };

export function createHubSpotClient(options: HubSpotClientOptions): Client {
  const basePath = options.basePath ?? HUBSPOT_API;
  const meter = options.meter ?? UNMETERED;
  return new Client({
    accessToken: options.accessToken,
    basePath,
    numberOfApiCallRetries: 0,
    httpAgent: deadlineAgent(basePath, options.requestTimeoutMs ?? 30_000),
    middleware: [
      {
        pre: (context) => {
          meter.sent();
          return context;
        },
        post: (context) => {
          if (typeof context === 'object' && context !== null && 'httpStatusCode' in context && context.httpStatusCode === 429) meter.rateLimited();
          return context;
        },
      },
    ],
  });
}
