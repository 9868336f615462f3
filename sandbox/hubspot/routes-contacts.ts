/** CRM v3 contacts: get, create, update, batch read, batch update and search. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { ContactNotFoundError, PropertyValidationError, type ChangeSource, type HubSpotStore } from './contact-store';
import type { Clock } from '../clock';
import { searchContacts, searchRequestSchema, SearchRequestError } from './search';
import { searchableContacts } from './search-lag';
import { contactToWire, queryList, sendHubSpotError } from './wire';

const BATCH_LIMIT = 100;
/** HubSpot reads property histories for at most 50 records a batch. */
export const HISTORY_BATCH_LIMIT = 50;
const HISTORY_BATCH_MESSAGE = `The maximum number of inputs supported in a batch request for property histories is ${HISTORY_BATCH_LIMIT}`;
const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(10), after: z.coerce.number().int().min(0).optional() });
const propertiesBody = z.object({ properties: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])) });
const batchReadBody = z.object({
  inputs: z.array(z.object({ id: z.union([z.string(), z.number()]) })),
  properties: z.array(z.string()).default([]),
  propertiesWithHistory: z.array(z.string()).default([]),
  idProperty: z.string().optional(),
});
const batchUpdateBody = z.object({
  inputs: z.array(z.object({ id: z.union([z.string(), z.number()]), properties: propertiesBody.shape.properties, idProperty: z.string().optional() })),
});

/** HubSpot takes numbers and booleans too, and stores strings; null clears like "". */
function asStrings(properties: Record<string, string | number | boolean | null>): Record<string, string> {
  return Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

function validationFailed(reply: FastifyReply, err: PropertyValidationError, context: Record<string, unknown> = {}): FastifyReply {
  return sendHubSpotError(reply, 400, 'VALIDATION_ERROR', err.message, {
    errors: err.failures.map((f) => ({ message: f.message, code: f.error, context: { propertyName: [f.name], ...context } })),
  });
}

function invalidBody(reply: FastifyReply, what: string): FastifyReply {
  return sendHubSpotError(reply, 400, 'VALIDATION_ERROR', `Invalid input JSON on line 1: ${what}`);
}

const notFoundMessage = 'resource not found';

/** A batch answer: 200 when every id existed, else 207 naming the missing ones. */
function batchResponse(reply: FastifyReply, results: unknown[], startedAt: string, missing: string[]): unknown {
  const body = { status: 'COMPLETE', results, startedAt, completedAt: new Date().toISOString() };
  if (missing.length === 0) return body;
  return reply.code(207).send({
    ...body,
    numErrors: 1,
    errors: [{ status: 'error', category: 'OBJECT_NOT_FOUND', message: 'Could not get some CONTACT objects, they may be deleted or not exist. Check that ids are valid.', context: { ids: missing } }],
  });
}

export interface ContactRouteOptions {
  /** How long a write takes to show in search results (ms). */
  searchLagMs: number;
  clock: Clock;
  apiSource?: ChangeSource;
}

export function registerContactRoutes(app: FastifyInstance, store: HubSpotStore, options: ContactRouteOptions): void {
  const apiSource = options.apiSource ?? 'API';
  const base = '/crm/v3/objects/contacts';

  // Every contact, a page at a time in id order; `after` is the last id of the previous page.
  app.get<{ Querystring: Record<string, unknown> }>(base, { config: { operation: 'contacts.list' } }, async (request, reply) => {
    const parsed = listQuery.safeParse(request.query);
    if (!parsed.success) return sendHubSpotError(reply, 400, 'VALIDATION_ERROR', 'limit must be 1 to 100 and after a record id');
    const { limit, after } = parsed.data;
    const ordered = [...store.contacts.values()].filter((c) => after === undefined || Number(c.id) > after).sort((a, b) => Number(a.id) - Number(b.id));
    const page = ordered.slice(0, limit);
    const last = page.at(-1);
    return {
      results: page.map((c) => contactToWire(c, queryList(request.query.properties), queryList(request.query.propertiesWithHistory))),
      ...(ordered.length > limit && last ? { paging: { next: { after: last.id, link: `${base}?after=${last.id}` } } } : {}),
    };
  });

  app.get<{ Params: { id: string }; Querystring: Record<string, unknown> }>(`${base}/:id`, { config: { operation: 'contacts.get' } }, async (request, reply) => {
    const contact = store.get(request.params.id);
    if (!contact) return sendHubSpotError(reply, 404, 'OBJECT_NOT_FOUND', notFoundMessage);
    return contactToWire(contact, queryList(request.query.properties), queryList(request.query.propertiesWithHistory));
  });

  app.post(base, { config: { operation: 'contacts.create' } }, async (request, reply) => {
    const parsed = propertiesBody.safeParse(request.body);
    if (!parsed.success) return invalidBody(reply, 'expected {properties}');
    try {
      const contact = store.createContact(asStrings(parsed.data.properties), apiSource);
      return reply.code(201).send(contactToWire(contact, Object.keys(parsed.data.properties)));
    } catch (err) {
      if (err instanceof PropertyValidationError) return validationFailed(reply, err);
      throw err;
    }
  });

  app.patch<{ Params: { id: string } }>(`${base}/:id`, { config: { operation: 'contacts.update' } }, async (request, reply) => {
    const parsed = propertiesBody.safeParse(request.body);
    if (!parsed.success) return invalidBody(reply, 'expected {properties}');
    try {
      store.update(request.params.id, asStrings(parsed.data.properties), apiSource);
    } catch (err) {
      if (err instanceof ContactNotFoundError) return sendHubSpotError(reply, 404, 'OBJECT_NOT_FOUND', notFoundMessage);
      if (err instanceof PropertyValidationError) return validationFailed(reply, err);
      throw err;
    }
    const contact = store.get(request.params.id);
    return contact ? contactToWire(contact, Object.keys(parsed.data.properties)) : reply.code(404);
  });

  app.post(`${base}/batch/read`, { config: { operation: 'contacts.batchRead' } }, async (request, reply) => {
    const parsed = batchReadBody.safeParse(request.body);
    if (!parsed.success) return invalidBody(reply, 'expected {inputs:[{id}], properties}');
    if (parsed.data.inputs.length > BATCH_LIMIT) return sendHubSpotError(reply, 400, 'VALIDATION_ERROR', `Batch size must be at most ${BATCH_LIMIT}`);
    if (parsed.data.propertiesWithHistory.length > 0 && parsed.data.inputs.length > HISTORY_BATCH_LIMIT) {
      return sendHubSpotError(reply, 400, 'VALIDATION_ERROR', HISTORY_BATCH_MESSAGE);
    }
    const startedAt = new Date().toISOString();
    const ids = parsed.data.inputs.map((input) => String(input.id));
    const found = ids.flatMap((id) => store.get(id) ?? []);
    const missing = ids.filter((id) => !store.get(id));
    const results = found.map((c) => contactToWire(c, parsed.data.properties, parsed.data.propertiesWithHistory));
    return batchResponse(reply, results, startedAt, missing);
  });

  app.post(`${base}/batch/update`, { config: { operation: 'contacts.batchUpdate' } }, async (request, reply) => {
    const parsed = batchUpdateBody.safeParse(request.body);
    if (!parsed.success) return invalidBody(reply, 'expected {inputs:[{id, properties}]}');
    const inputs = parsed.data.inputs.map((input) => ({ id: String(input.id), properties: asStrings(input.properties) }));
    if (inputs.length > BATCH_LIMIT) return sendHubSpotError(reply, 400, 'VALIDATION_ERROR', `Batch size must be at most ${BATCH_LIMIT}`);
    if (new Set(inputs.map((i) => i.id)).size !== inputs.length) return sendHubSpotError(reply, 400, 'VALIDATION_ERROR', 'Duplicate IDs found in batch input.');
    // Any invalid value fails the whole batch before anything is written, as HubSpot does.
    for (const input of inputs) {
      try {
        store.validate(input.properties);
      } catch (err) {
        if (err instanceof PropertyValidationError) return validationFailed(reply, err, { id: [input.id] });
        throw err;
      }
    }
    const startedAt = new Date().toISOString();
    const missing = inputs.filter((input) => !store.get(input.id)).map((input) => input.id);
    const results = inputs
      .filter((input) => store.get(input.id))
      .map((input) => {
        store.update(input.id, input.properties, apiSource);
        const contact = store.get(input.id);
        return contact ? contactToWire(contact, Object.keys(input.properties)) : undefined;
      });
    return batchResponse(reply, results, startedAt, missing);
  });

  app.post(`${base}/search`, { config: { operation: 'contacts.search' } }, async (request, reply) => {
    const parsed = searchRequestSchema.safeParse(request.body);
    if (!parsed.success) return invalidBody(reply, 'invalid search request');
    try {
      const { matches, total, nextAfter } = searchContacts(searchableContacts(store.contactsInIdOrder(), options.clock(), options.searchLagMs), parsed.data, store.properties);
      return {
        total,
        results: matches.map((c) => contactToWire(c, parsed.data.properties)),
        ...(nextAfter ? { paging: { next: { after: nextAfter, link: `?after=${nextAfter}` } } } : {}),
      };
    } catch (err) {
      if (err instanceof SearchRequestError) return sendHubSpotError(reply, 400, 'VALIDATION_ERROR', err.message);
      throw err;
    }
  });
}
