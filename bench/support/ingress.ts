/**
 * The bridge's HubSpot webhook ingress, composed as startBridge composes it (the HTTP server with
 * the v3-signed webhook route), plus a sender that signs events as HubSpot does.
 */
import { mqlWebhookEvent } from '../../sandbox/hubspot/mql-event';
import { signatureV3 } from '../../sandbox';
import { freePort } from '../../worker/dev-server';
import { createHttpServer } from '../../worker/http-server';
import { createLogger } from '../../worker/logger';
import { registerHubSpotWebhookRoute, type WebhookOutcome, type WebhookRouteDeps } from '../../worker/webhook-route';

export const WEBHOOK_PATH = '/webhooks/hubspot';

export interface Ingress {
  url: string;
  close(): Promise<void>;
}

export async function startIngress(deps: Omit<WebhookRouteDeps, 'publicUrl'>): Promise<Ingress> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const http = createHttpServer({ logger: createLogger({ level: 'silent' }) });
  await registerHubSpotWebhookRoute(http.app, { ...deps, publicUrl: url });
  await http.listen({ port, host: '127.0.0.1' });
  return { url, close: () => http.close() };
}

let eventSequence = 0;

/** One `contact.propertyChange` event: the contact reached the MQL lifecycle stage. */
export function mqlEvent(portalId: string, contactId: string): Record<string, unknown> {
  eventSequence += 1;
  return mqlWebhookEvent({ portalId, contactId, eventId: Date.now() * 1000 + (eventSequence % 1000) });
}

export interface SignedRequest {
  body: string;
  headers: Record<string, string>;
}

/** Signs `body` for `url` as HubSpot's v3 signature does, at `timestamp` (now by default). */
export function signedRequest(url: string, body: string, clientSecret: string, timestamp = Date.now()): SignedRequest {
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-hubspot-signature-v3': signatureV3({ clientSecret, method: 'POST', uri: url, body, timestamp }),
      'x-hubspot-request-timestamp': String(timestamp),
    },
  };
}

/** POSTs a batch of events, signed: the HTTP status, and of the handoffs started, how many eagerly (200 only). */
export async function sendWebhook(ingressUrl: string, events: unknown[], clientSecret: string): Promise<{ status: number; eagerlyStarted: number }> {
  const url = `${ingressUrl}${WEBHOOK_PATH}`;
  const { body, headers } = signedRequest(url, JSON.stringify(events), clientSecret);
  const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(60_000) });
  const answer = await response.text();
  const eagerlyStarted = response.status === 200 ? (JSON.parse(answer) as WebhookOutcome).eagerlyStarted : 0;
  return { status: response.status, eagerlyStarted };
}
