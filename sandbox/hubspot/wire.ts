/**
 * HubSpot's wire shapes: error bodies ({status:"error", message, correlationId, category, …}) and
 * the SimplePublicObject a contact is sent as. Every reply is JSON (the SDK refuses a body without a
 * Content-Type, errors included).
 */
import { randomUUID } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import type { StoredContact } from './contact-store';

export type HubSpotErrorCategory = 'VALIDATION_ERROR' | 'OBJECT_NOT_FOUND' | 'INVALID_AUTHENTICATION' | 'RATE_LIMITS' | 'MISSING_SCOPES';

export function sendHubSpotError(
  reply: FastifyReply,
  status: number,
  category: HubSpotErrorCategory | undefined,
  message: string,
  extras: Record<string, unknown> = {},
): FastifyReply {
  return reply
    .code(status)
    .type('application/json;charset=utf-8')
    .send({ status: 'error', message, correlationId: randomUUID(), ...(category ? { category } : {}), ...extras });
}

const DEFAULT_PROPERTIES = ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'];

export function contactToWire(contact: StoredContact, properties: string[] | undefined, withHistory: string[] = []): Record<string, unknown> {
  const names = properties && properties.length > 0 ? properties : DEFAULT_PROPERTIES;
  const wire: Record<string, unknown> = {
    id: contact.id,
    properties: Object.fromEntries(names.map((name) => [name, contact.values.get(name) ?? null])),
    createdAt: new Date(contact.createdAt).toISOString(),
    updatedAt: new Date(contact.updatedAt).toISOString(),
    archived: false,
  };
  if (withHistory.length > 0) {
    wire.propertiesWithHistory = Object.fromEntries(withHistory.map((name) => [name, contact.history.get(name) ?? []]));
  }
  return wire;
}

/** Query arrays arrive repeated (`?properties=a&properties=b`) or comma-separated; both are accepted. */
export function queryList(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const items = Array.isArray(value) ? value : [value];
  return items.flatMap((item) => String(item).split(',')).map((s) => s.trim()).filter((s) => s.length > 0);
}
