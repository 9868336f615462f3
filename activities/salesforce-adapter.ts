/**
 * SalesforcePort through jsforce, pointed at an org or at the sandbox. Errors are translated at this
 * boundary; concurrent updateLead calls share one sObject Collections PATCH (≤ 200 records) with
 * per-record results handed back; every SOQL value goes through soqlLiteral.
 */
import type { Connection } from 'jsforce';
import { SALESFORCE_LEAD_FIELDS } from '../mappings/crm-fields';
import { createCoalescingLoader } from './batching';
import { salesforceCodeFailure, salesforceFailure } from './crm-errors';
import { CRM_ERROR_TYPES, type SalesforcePort, type SalesforceRecord, type SalesforceValue } from './ports';
import { leadsChangedSince } from './salesforce-changes';
import { createSalesforceSession, type SalesforceConnectionOptions } from './salesforce-connection';
import { locatorOf, queryPageSchema, recordSchema, saveResultSchema, toPortRecord } from './salesforce-records';
import { soqlFields, soqlLiteral } from './soql';

export interface SalesforceAdapterOptions extends SalesforceConnectionOptions {
  /** How long an updateLead waits for others to share its collection call. */
  batchWindowMs?: number;
  /** Retry delay after REQUEST_LIMIT_EXCEEDED (Salesforce names none for its rolling 24 h window). */
  rateLimitRetryDelayMs?: number;
}

const COLLECTION_LIMIT = 200;
const EXTERNAL_ID = SALESFORCE_LEAD_FIELDS.hubspotContactId;

export function createSalesforceAdapter(options: SalesforceAdapterOptions): SalesforcePort {
  const session = createSalesforceSession(options);
  const guarded = async <T>(operation: string, call: (conn: Connection) => Promise<T>): Promise<T> => {
    try {
      return await call(await session.ready());
    } catch (err) {
      throw salesforceFailure(operation, err, options.rateLimitRetryDelayMs);
    }
  };

  const queryPage = async (conn: Connection, soql: string, pageSize?: number) => {
    const headers: Record<string, string> = pageSize ? { 'Sforce-Query-Options': `batchSize=${pageSize}` } : {};
    return queryPageSchema.parse(await conn.query(soql, { headers, autoFetch: false }));
  };

  /** Every page of a query (users, tasks): small result sets by construction. */
  const queryAll = async (conn: Connection, soql: string) => {
    let page = await queryPage(conn, soql);
    const records = [...page.records];
    while (!page.done && page.nextRecordsUrl) {
      page = queryPageSchema.parse(await conn.queryMore(page.nextRecordsUrl, { headers: {}, autoFetch: false, maxFetch: 10_000, scanAll: false, responseTarget: 'QueryResult' }));
      records.push(...page.records);
    }
    return records;
  };

  const retrieveLead = async (conn: Connection, leadId: string, fields: string[]): Promise<SalesforceRecord | null> => {
    try {
      const raw = await conn.sobject('Lead').retrieve(leadId, { fields: [...new Set(['Id', ...fields])] });
      return toPortRecord(recordSchema.parse(raw), fields);
    } catch (err) {
      const failure = salesforceFailure('getLead', err);
      if (failure.type === CRM_ERROR_TYPES.notFound || /MALFORMED_ID|INVALID_ID_FIELD/.test(failure.message)) return null;
      throw failure;
    }
  };

  const firstLead = async (conn: Connection, where: string, fields: string[]): Promise<SalesforceRecord | null> => {
    const page = await queryPage(conn, `SELECT ${soqlFields([...new Set(['Id', ...fields])])} FROM Lead WHERE ${where} ORDER BY CreatedDate ASC LIMIT 1`);
    const first = page.records[0];
    return first ? toPortRecord(first, fields) : null;
  };

  const updates = createCoalescingLoader<{ leadId: string; fields: Record<string, SalesforceValue> }, void>({
    maxBatchSize: COLLECTION_LIMIT,
    windowMs: options.batchWindowMs ?? 10,
    runBatch: async (items) => {
      const merged = new Map<string, Record<string, SalesforceValue>>();
      for (const item of items) merged.set(item.leadId, { ...merged.get(item.leadId), ...item.fields });
      const ids = [...merged.keys()];
      const results = await guarded('updateLead', async (conn) =>
        saveResultSchema.array().parse(await conn.sobject('Lead').update(ids.map((Id) => ({ Id, ...merged.get(Id) })), { allOrNone: false })),
      );
      const byId = new Map(ids.map((id, i) => [id, results[i]]));
      return items.map((item) => {
        const result = byId.get(item.leadId);
        if (result?.success) return { ok: true, value: undefined };
        const error = result?.errors[0];
        return { ok: false, error: salesforceCodeFailure('updateLead', error?.statusCode ?? error?.errorCode ?? 'UNKNOWN_EXCEPTION', error?.fields, options.rateLimitRetryDelayMs) };
      });
    },
  });

  return {
    findLead: ({ hubspotContactId, salesforceLeadId, email, fields }) =>
      guarded('findLead', async (conn) => {
        const byStoredId = salesforceLeadId ? await retrieveLead(conn, salesforceLeadId, fields) : null;
        if (byStoredId) return byStoredId;
        const byExternalId = await firstLead(conn, `${EXTERNAL_ID} = ${soqlLiteral(hubspotContactId)}`, fields);
        if (byExternalId || !email) return byExternalId;
        return firstLead(conn, `Email = ${soqlLiteral(email)} AND IsConverted = FALSE`, fields);
      }),

    upsertLead: ({ hubspotContactId, fields }) =>
      guarded('upsertLead', async (conn) => {
        const raw = await conn.sobject('Lead').upsert({ ...fields, [EXTERNAL_ID]: hubspotContactId }, EXTERNAL_ID);
        const result = saveResultSchema.parse(raw);
        if (!result.success || !result.id) {
          const error = result.errors[0];
          throw salesforceCodeFailure('upsertLead', error?.statusCode ?? error?.errorCode ?? 'UNKNOWN_EXCEPTION', error?.fields);
        }
        return { id: result.id, created: result.created ?? false };
      }),

    updateLead: (input) => updates.load(input),

    getLead: ({ leadId, fields }) => guarded('getLead', (conn) => retrieveLead(conn, leadId, fields)),

    leadsChangedSince: (input) =>
      guarded('leadsChangedSince', (conn) =>
        leadsChangedSince(async (soql) => (await queryPage(conn, soql)).records, input, (raw) => toPortRecord(raw, input.fields)),
      ),

    tasksForLead: ({ leadId, since, fields }) =>
      guarded('tasksForLead', async (conn) => {
        const soql = `SELECT ${soqlFields([...new Set(['Id', ...fields])])} FROM Task WHERE WhoId = ${soqlLiteral(leadId)} AND CreatedDate >= ${soqlLiteral(new Date(since))} ORDER BY CreatedDate ASC, Id ASC`;
        return (await queryAll(conn, soql)).map((raw) => toPortRecord(raw, fields));
      }),

    queryLeads: ({ where, fields, locator, pageSize }) =>
      guarded('queryLeads', async (conn) => {
        const page = locator
          ? queryPageSchema.parse(
              await conn.queryMore(locator, {
                headers: pageSize ? { 'Sforce-Query-Options': `batchSize=${pageSize}` } : {},
                autoFetch: false,
                maxFetch: 10_000,
                scanAll: false,
                responseTarget: 'QueryResult',
              }),
            )
          : await queryPage(conn, `SELECT ${soqlFields([...new Set(['Id', ...fields])])} FROM Lead${where ? ` WHERE ${where}` : ''} ORDER BY Id ASC`, pageSize);
        const next = page.done ? undefined : locatorOf(page.nextRecordsUrl);
        return { records: page.records.map((raw) => toPortRecord(raw, fields)), totalSize: page.totalSize, ...(next ? { locator: next } : {}) };
      }),

    listUsers: () =>
      guarded('listUsers', async (conn) =>
        (await queryAll(conn, 'SELECT Id, Email, Name, IsActive FROM User ORDER BY Id ASC')).map((raw) => {
          const user = toPortRecord(raw, ['Email', 'Name', 'IsActive']);
          return { id: user.id, email: String(user.fields.Email ?? ''), name: String(user.fields.Name ?? ''), isActive: user.fields.IsActive === true };
        }),
      ),
  };
}
