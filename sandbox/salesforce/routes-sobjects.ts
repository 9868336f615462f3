/** Single-record sObject REST: create, retrieve, update, and upsert by an external-id field. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { describeSObject } from './describe';
import { SalesforceError, sendError, sendSalesforceError } from './errors';
import { fieldOf, sobjectType, type SObjectType } from './schema';
import type { SalesforceStore } from './store';
import { fieldList, projectRecord, recordToWire } from './wire';

const recordBody = z.record(z.string(), z.unknown());

export type VersionedParams = { version: string };

export function resolveType(reply: FastifyReply, name: string): SObjectType | undefined {
  const type = sobjectType(name);
  if (!type) void sendSalesforceError(reply, 404, 'NOT_FOUND', `The requested resource does not exist`);
  return type;
}

export function checkFields(type: SObjectType, fields: string[] | undefined): void {
  for (const name of fields ?? []) {
    if (!fieldOf(type, name)) throw new SalesforceError('INVALID_FIELD', `No such column '${name}' on sobject of type ${type}`, [name]);
  }
}

/** Runs a store call and turns a SalesforceError into its REST answer. */
export async function answering(reply: FastifyReply, fn: () => unknown): Promise<unknown> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof SalesforceError) return sendError(reply, err);
    throw err;
  }
}

export function registerSObjectRoutes(app: FastifyInstance, store: SalesforceStore, base: string): void {
  app.get<{ Params: VersionedParams & { type: string } }>(`${base}/sobjects/:type/describe`, { config: { operation: 'sobjects.describe' } }, async (request, reply) => {
    const type = resolveType(reply, request.params.type);
    if (!type) return reply;
    return describeSObject(type, request.params.version);
  });

  app.get<{ Params: VersionedParams & { type: string; field: string; value: string }; Querystring: { fields?: string } }>(
    `${base}/sobjects/:type/:field/:value`,
    { config: { operation: 'sobjects.retrieveByExternalId' } },
    async (request, reply) => {
      const type = resolveType(reply, request.params.type);
      if (!type) return reply;
      return answering(reply, () => {
        const field = fieldOf(type, request.params.field);
        if (!field?.externalId && field?.name !== 'Id') {
          throw new SalesforceError('NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${request.params.field}`, [], 404);
        }
        const fields = fieldList(request.query.fields);
        checkFields(type, fields);
        const matches = store.list(type).filter((r) => r.fields[field.name] === request.params.value);
        if (matches.length > 1) throw new SalesforceError('MULTIPLE_CHOICES', 'More than one record found for external id field', [field.name], 300);
        const record = matches[0];
        if (!record) throw new SalesforceError('NOT_FOUND', 'The requested resource does not exist', [], 404);
        return recordToWire(request.params.version.slice(1), type, record.id, projectRecord(record, fields));
      });
    },
  );

  app.get<{ Params: VersionedParams & { type: string; id: string }; Querystring: { fields?: string } }>(
    `${base}/sobjects/:type/:id`,
    { config: { operation: 'sobjects.retrieve' } },
    async (request, reply) => {
      const type = resolveType(reply, request.params.type);
      if (!type) return reply;
      return answering(reply, () => {
        const fields = fieldList(request.query.fields);
        checkFields(type, fields);
        const record = store.find(request.params.id, type);
        if (!record) throw new SalesforceError('NOT_FOUND', 'The requested resource does not exist', [], 404);
        return recordToWire(request.params.version.slice(1), type, record.id, projectRecord(record, fields));
      });
    },
  );

  app.post<{ Params: VersionedParams & { type: string } }>(`${base}/sobjects/:type`, { config: { operation: 'sobjects.create' } }, async (request, reply) => {
    const type = resolveType(reply, request.params.type);
    if (!type) return reply;
    const body = recordBody.safeParse(request.body);
    if (!body.success) return sendSalesforceError(reply, 400, 'JSON_PARSER_ERROR', 'expected a JSON object');
    return answering(reply, () => {
      const record = store.create(type, body.data);
      return reply.code(201).send({ id: record.id, success: true, errors: [] });
    });
  });

  app.patch<{ Params: VersionedParams & { type: string; id: string } }>(`${base}/sobjects/:type/:id`, { config: { operation: 'sobjects.update' } }, async (request, reply) => {
    const type = resolveType(reply, request.params.type);
    if (!type) return reply;
    const body = recordBody.safeParse(request.body);
    if (!body.success) return sendSalesforceError(reply, 400, 'JSON_PARSER_ERROR', 'expected a JSON object');
    return answering(reply, () => {
      store.update(type, request.params.id, body.data);
      return reply.code(204).send();
    });
  });

  app.patch<{ Params: VersionedParams & { type: string; field: string; value: string } }>(
    `${base}/sobjects/:type/:field/:value`,
    { config: { operation: 'sobjects.upsert' } },
    async (request, reply) => {
      const type = resolveType(reply, request.params.type);
      if (!type) return reply;
      const body = recordBody.safeParse(request.body);
      if (!body.success) return sendSalesforceError(reply, 400, 'JSON_PARSER_ERROR', 'expected a JSON object');
      return answering(reply, () => {
        const { record, created } = store.upsert(type, request.params.field, request.params.value, body.data);
        return reply.code(created ? 201 : 200).send({ id: record.id, success: true, errors: [], created });
      });
    },
  );
}
