/**
 * POST /webhooks/hubspot: verifies the v3 signature over the exact raw body, validates the batch with
 * zod, and turns each contact event into a handoff start (MQL reached) or a signal to an open handoff.
 * A forged, stale or malformed request gets 401/400 with the reason and starts nothing.
 */
import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { HUBSPOT_PROPERTIES as HS } from '../mappings/crm';
import type { ContactChange, ContactRead } from '../api/handoff';
import { handoffPriority } from '../api/priority';
import { hotTaskQueue } from '../api/ids';
import { signalOpenHandoff, startOrSignalHandoff } from './handoff-starter';
import type { PriorityLeads } from './priority-leads';
import { verifyV3 } from './hubspot-signature';
import { inPool, STARTS_IN_FLIGHT } from './start-pool';

const numericId = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]).transform(String);

export const hubspotWebhookEventSchema = z.object({
  eventId: numericId,
  subscriptionId: numericId.optional(),
  portalId: numericId,
  occurredAt: z.number().int().nonnegative(),
  subscriptionType: z.string().min(1),
  attemptNumber: z.number().int().nonnegative().optional(),
  objectId: numericId,
  propertyName: z.string().optional(),
  propertyValue: z.string().optional(),
  changeSource: z.string().optional(),
});

export const hubspotWebhookBatchSchema = z.array(hubspotWebhookEventSchema).min(1).max(100);

export interface WebhookRouteDeps {
  client: Client;
  taskQueue: string;
  clientSecret: string;
  /** The URL HubSpot calls, without path (it is part of what HubSpot signs). */
  publicUrl: string;
  /** Only events of this portal are accepted. */
  portalId: string;
  now?: () => number;
  /** Which new MQLs are priority leads (worker/priority-leads.ts); every lead is normal when unset. */
  priorityLeads?: PriorityLeads;
  /** Told when the priority read fails (the leads then start as normal ones). */
  onPriorityReadFailed?: (error: unknown) => void;
  /**
   * Where this process also runs the hot lane's worker (HANDOFF_MODE=all): a client on that worker's
   * NativeConnection. Priority leads are then started eagerly: the server answers the start with the
   * handoff's first workflow task for this process's hot lane, skipping the task queue's hand-out (on
   * a server busy with a burst, 0.2–3.3 s of the hot lead's alert).
   */
  hotLaneClient?: Client;
}

export interface WebhookOutcome {
  /** MQL events: handoffs started, or signalled when already open. */
  handoffs: number;
  /** Of the handoffs, those the server handed straight to this process's hot lane (hotLaneClient). */
  eagerlyStarted: number;
  signalled: number;
  ignored: number;
}

type WebhookEvent = z.infer<typeof hubspotWebhookEventSchema>;

function isMqlEvent(event: WebhookEvent): boolean {
  return event.subscriptionType.startsWith('contact.') && event.propertyName === HS.lifecycleStage && event.propertyValue === 'marketingqualifiedlead';
}

export async function registerHubSpotWebhookRoute(app: FastifyInstance, deps: WebhookRouteDeps): Promise<void> {
  const priorityLeadsOf = async (contactIds: string[]): Promise<Map<string, ContactRead>> => {
    if (!deps.priorityLeads || !contactIds.length) return new Map();
    try {
      return await deps.priorityLeads(contactIds);
    } catch (error) {
      deps.onPriorityReadFailed?.(error);
      return new Map();
    }
  };
  await app.register(async (scope) => {
    // The signature covers the exact bytes HubSpot sent: keep the body raw in this scope, and parse it
    // only once the signature holds (an unauthenticated body is never parsed).
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    scope.post('/webhooks/hubspot', async (request, reply) => {
      const rawBody = typeof request.body === 'string' ? request.body : '';
      const verdict = verifyV3({
        clientSecret: deps.clientSecret,
        method: request.method,
        uri: `${deps.publicUrl.replace(/\/$/, '')}${request.url}`,
        rawBody,
        signature: header(request.headers['x-hubspot-signature-v3']),
        timestamp: header(request.headers['x-hubspot-request-timestamp']),
        now: (deps.now ?? Date.now)(),
      });
      if (!verdict.ok) return reply.code(401).send({ error: 'invalid_signature', reason: verdict.reason });

      let json: unknown;
      try {
        json = JSON.parse(rawBody);
      } catch {
        return reply.code(400).send({ error: 'malformed_body', reason: 'body is not JSON' });
      }
      const parsed = hubspotWebhookBatchSchema.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return reply.code(400).send({
          error: 'malformed_body',
          reason: `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`,
        });
      }
      const foreign = parsed.data.find((e) => e.portalId !== deps.portalId);
      if (foreign) return reply.code(400).send({ error: 'wrong_portal', reason: `event ${foreign.eventId} is for another portal` });

      const outcome: WebhookOutcome = { handoffs: 0, eagerlyStarted: 0, signalled: 0, ignored: 0 };
      const hot = await priorityLeadsOf(parsed.data.filter(isMqlEvent).map((e) => e.objectId));
      const startHandoff = async (event: WebhookEvent, change: ContactChange): Promise<void> => {
        const contactRead = hot.get(event.objectId);
        const isHot = contactRead !== undefined;
        const hotLaneClient = isHot ? deps.hotLaneClient : undefined;
        const started = await startOrSignalHandoff(hotLaneClient ?? deps.client, {
          portalId: event.portalId,
          contactId: event.objectId,
          taskQueue: isHot ? hotTaskQueue(deps.taskQueue) : deps.taskQueue,
          priority: handoffPriority(event.portalId, isHot),
          trigger: { source: 'webhook', observedAt: change.occurredAt, eventId: event.eventId },
          // The read that found it a priority lead is its handoff's first read.
          ...(contactRead ? { contactRead } : {}),
          change,
          eager: hotLaneClient !== undefined,
        });
        outcome.handoffs += 1;
        if (started.eagerlyStarted) outcome.eagerlyStarted += 1;
      };
      // Priority leads start first and all at once: one after another, the last of twenty waited for
      // nineteen start round trips (seconds when the server is busy with a burst). Then the other MQLs,
      // a few at a time (worker/start-pool.ts), then the other changes in their order.
      const mqls = parsed.data.filter(isMqlEvent);
      await Promise.all(mqls.filter((event) => hot.has(event.objectId)).map((event) => startHandoff(event, changeOf(event))));
      await inPool(
        mqls.filter((event) => !hot.has(event.objectId)),
        STARTS_IN_FLIGHT,
        (event) => startHandoff(event, changeOf(event)),
      );
      for (const event of parsed.data) {
        if (isMqlEvent(event)) continue;
        if (!event.subscriptionType.startsWith('contact.') || !event.propertyName) {
          outcome.ignored += 1;
          continue;
        }
        const change = changeOf(event);
        const key = { portalId: event.portalId, contactId: event.objectId };
        if (await signalOpenHandoff(deps.client, key, change)) {
          outcome.signalled += 1;
        } else {
          outcome.ignored += 1;
        }
      }
      return reply.code(200).send(outcome);
    });
  });
}

function changeOf(event: WebhookEvent): ContactChange {
  return { eventId: event.eventId, propertyName: event.propertyName ?? '', propertyValue: event.propertyValue ?? '', occurredAt: new Date(event.occurredAt).toISOString() };
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
