/**
 * The sandboxes' loopback-only admin route for back-dating what the CRMs stamp themselves: a Salesforce
 * record's CreatedDate (a Task logged "12 business minutes after assignment") and the timestamp of a
 * HubSpot property's newest history version (when a contact "became an MQL"). Ground-truth scenarios
 * plant a month of history through it instead of editing snapshot files. The sandboxes listen on
 * 127.0.0.1 only, and the route also refuses any request that does not come from loopback.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { HubSpotStore } from './hubspot/contact-store';
import { toSalesforceDateTime, parseInstant } from './salesforce/datetime';
import type { SalesforceStore } from './salesforce/store';

export const ADMIN_TIMESTAMPS_PATH = '/__sandbox/timestamps';

const instant = z.string().refine((s) => parseInstant(s) !== undefined, 'an ISO-8601 instant');
const salesforceBody = z.object({ id: z.string().min(15), createdDate: instant });
const hubspotBody = z.object({ contactId: z.string().min(1), property: z.string().min(1), timestamp: instant });

/** Admin routes answer loopback callers only (the sandboxes also listen on 127.0.0.1 only). */
export function fromLoopback(request: FastifyRequest): boolean {
  const ip = request.socket.remoteAddress ?? '';
  return ip === '127.0.0.1' || ip === '::1' || ip === '::ffff:127.0.0.1';
}

function refuse(reply: FastifyReply, status: number, error: string): FastifyReply {
  return reply.code(status).send({ error });
}

/** POST /__sandbox/timestamps {id, createdDate}: sets a record's CreatedDate (and its SystemModstamp when earlier). */
export function registerSalesforceTimestampRoute(app: FastifyInstance, store: SalesforceStore): void {
  app.post(ADMIN_TIMESTAMPS_PATH, { config: { admin: true } }, async (request, reply) => {
    if (!fromLoopback(request)) return refuse(reply, 403, 'admin routes answer loopback callers only');
    const parsed = salesforceBody.safeParse(request.body);
    if (!parsed.success) return refuse(reply, 400, `expected {id, createdDate}: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
    const record = store.find(parsed.data.id);
    if (!record) return refuse(reply, 404, `no record ${parsed.data.id}`);
    const at = parseInstant(parsed.data.createdDate) ?? 0;
    record.fields.CreatedDate = toSalesforceDateTime(at);
    return { id: record.id, type: record.type, CreatedDate: record.fields.CreatedDate };
  });
}

/** POST /__sandbox/timestamps {contactId, property, timestamp}: re-dates the property's newest history version. */
export function registerHubSpotTimestampRoute(app: FastifyInstance, store: HubSpotStore): void {
  app.post(ADMIN_TIMESTAMPS_PATH, { config: { admin: true } }, async (request, reply) => {
    if (!fromLoopback(request)) return refuse(reply, 403, 'admin routes answer loopback callers only');
    const parsed = hubspotBody.safeParse(request.body);
    if (!parsed.success) return refuse(reply, 400, `expected {contactId, property, timestamp}: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
    const { contactId, property, timestamp } = parsed.data;
    const newest = store.get(contactId)?.history.get(property)?.[0];
    if (!newest) return refuse(reply, 404, `contact ${contactId} has no history for ${property}`);
    newest.timestamp = new Date(parseInstant(timestamp) ?? 0).toISOString();
    return { contactId, property, value: newest.value, timestamp: newest.timestamp };
  });
}
