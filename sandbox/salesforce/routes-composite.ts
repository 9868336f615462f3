/**
 * sObject Collections: create, update, upsert (≤ 200 records) and retrieve. Each record succeeds or
 * fails on its own and the call answers 200 with per-record results; with allOrNone one failure
 * rolls every record back (ALL_OR_NONE_OPERATION_ROLLED_BACK).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { collectionError, SalesforceError, sendSalesforceError } from './errors';
import { sobjectType, type SObjectType } from './schema';
import type { SalesforceStore } from './store';
import { answering, checkFields, resolveType, type VersionedParams } from './routes-sobjects';
import { projectRecord, recordToWire } from './wire';

export const COLLECTION_LIMIT = 200;

const collectionBody = z.object({
  allOrNone: z.boolean().default(false),
  records: z.array(z.record(z.string(), z.unknown())),
});
const retrieveBody = z.object({ ids: z.array(z.string()), fields: z.array(z.string()) });

interface SaveResult {
  id?: string;
  success: boolean;
  errors: Array<ReturnType<typeof collectionError>>;
  created?: boolean;
}

class RollBack extends Error {
  constructor(readonly results: SaveResult[]) {
    super('all or none');
  }
}

function saveAll(store: SalesforceStore, allOrNone: boolean, records: Array<Record<string, unknown>>, save: (record: Record<string, unknown>) => SaveResult): SaveResult[] {
  const attempt = (): SaveResult[] => {
    const results = records.map((record) => {
      try {
        return save(record);
      } catch (err) {
        if (!(err instanceof SalesforceError)) throw err;
        const id = typeof record.Id === 'string' ? record.Id : undefined;
        return { ...(id ? { id } : {}), success: false, errors: [collectionError(err)] };
      }
    });
    if (allOrNone && results.some((r) => !r.success)) throw new RollBack(results);
    return results;
  };
  try {
    return allOrNone ? store.transaction(attempt) : attempt();
  } catch (err) {
    if (!(err instanceof RollBack)) throw err;
    const rolledBack = new SalesforceError('ALL_OR_NONE_OPERATION_ROLLED_BACK', 'Record rolled back because not all records were valid and the request was using AllOrNone header');
    return err.results.map((r) => (r.success ? { success: false, errors: [collectionError(rolledBack)] } : r));
  }
}

function recordType(record: Record<string, unknown>): SObjectType {
  const attributes = z.object({ type: z.string() }).safeParse(record.attributes);
  const type = attributes.success ? sobjectType(attributes.data.type) : undefined;
  if (!type) throw new SalesforceError('INVALID_TYPE', 'Each record needs attributes.type naming a supported sObject');
  return type;
}

function withoutAttributes(record: Record<string, unknown>): Record<string, unknown> {
  const { attributes: _attributes, ...fields } = record;
  return fields;
}

export function registerCompositeRoutes(app: FastifyInstance, store: SalesforceStore, base: string): void {
  const parse = (body: unknown) => collectionBody.safeParse(body);
  const tooMany = 'record limit reached. cannot submit more than 200 records into this call';

  app.post(`${base}/composite/sobjects`, { config: { operation: 'collections.create' } }, async (request, reply) => {
    const body = parse(request.body);
    if (!body.success) return sendSalesforceError(reply, 400, 'JSON_PARSER_ERROR', 'expected {allOrNone, records}');
    if (body.data.records.length > COLLECTION_LIMIT) return sendSalesforceError(reply, 400, 'EXCEEDED_ID_LIMIT', tooMany);
    return saveAll(store, body.data.allOrNone, body.data.records, (record) => {
      const created = store.create(recordType(record), withoutAttributes(record));
      return { id: created.id, success: true, errors: [] };
    });
  });

  app.patch(`${base}/composite/sobjects`, { config: { operation: 'collections.update' } }, async (request, reply) => {
    const body = parse(request.body);
    if (!body.success) return sendSalesforceError(reply, 400, 'JSON_PARSER_ERROR', 'expected {allOrNone, records}');
    if (body.data.records.length > COLLECTION_LIMIT) return sendSalesforceError(reply, 400, 'EXCEEDED_ID_LIMIT', tooMany);
    return saveAll(store, body.data.allOrNone, body.data.records, (record) => {
      const id = record.Id ?? record.id;
      if (typeof id !== 'string') throw new SalesforceError('MISSING_ARGUMENT', 'Id not specified in an update call', ['Id']);
      const updated = store.update(recordType(record), id, withoutAttributes(record));
      return { id: updated.id, success: true, errors: [] };
    });
  });

  app.patch<{ Params: VersionedParams & { type: string; field: string } }>(
    `${base}/composite/sobjects/:type/:field`,
    { config: { operation: 'collections.upsert' } },
    async (request, reply) => {
      const type = resolveType(reply, request.params.type);
      if (!type) return reply;
      const body = parse(request.body);
      if (!body.success) return sendSalesforceError(reply, 400, 'JSON_PARSER_ERROR', 'expected {allOrNone, records}');
      if (body.data.records.length > COLLECTION_LIMIT) return sendSalesforceError(reply, 400, 'EXCEEDED_ID_LIMIT', tooMany);
      const externalValue = (record: Record<string, unknown>): unknown => {
        const key = Object.keys(record).find((k) => k.toLowerCase() === request.params.field.toLowerCase());
        return key === undefined ? undefined : record[key];
      };
      // Salesforce refuses every item whose external id appears more than once in the request.
      const counts = new Map<unknown, number>();
      for (const record of body.data.records) counts.set(externalValue(record), (counts.get(externalValue(record)) ?? 0) + 1);
      return saveAll(store, body.data.allOrNone, body.data.records, (record) => {
        const fields = withoutAttributes(record);
        const value = externalValue(fields);
        if (typeof value !== 'string' || value === '') throw new SalesforceError('MISSING_ARGUMENT', `${request.params.field} not specified`, [request.params.field]);
        if ((counts.get(value) ?? 0) > 1) throw new SalesforceError('DUPLICATE_EXTERNAL_ID', `Duplicate external id specified: ${value}`, [request.params.field]);
        const { record: saved, created } = store.upsert(type, request.params.field, value, fields);
        return { id: saved.id, success: true, errors: [], created };
      });
    },
  );

  app.post<{ Params: VersionedParams & { type: string } }>(`${base}/composite/sobjects/:type`, { config: { operation: 'collections.retrieve' } }, async (request, reply) => {
    const type = resolveType(reply, request.params.type);
    if (!type) return reply;
    const body = retrieveBody.safeParse(request.body);
    if (!body.success) return sendSalesforceError(reply, 400, 'JSON_PARSER_ERROR', 'expected {ids, fields}');
    if (body.data.ids.length > 2000) return sendSalesforceError(reply, 400, 'EXCEEDED_ID_LIMIT', 'too many ids');
    return answering(reply, () => {
      checkFields(type, body.data.fields);
      return body.data.ids.map((id) => {
        const record = store.find(id, type);
        return record ? recordToWire(request.params.version.slice(1), type, record.id, projectRecord(record, body.data.fields)) : null;
      });
    });
  });
}
