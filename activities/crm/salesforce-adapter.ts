/**
 * SalesforcePort through jsforce, pointed at an org or at the sandbox. Errors are translated at this
 * boundary, and every request passes through the process's Salesforce call budget. Concurrent
 * handoffs share requests: findLead, getLead and tasksForLead become SOQL `IN (…)` queries, upsertLead
 * and updateLead sObject Collections calls (≤ 200 records, allOrNone false); each caller gets its own
 * record or its own error back. Every SOQL value goes through soqlLiteral.
 */
import type { Connection } from 'jsforce';
import { SALESFORCE_LEAD_FIELDS, SALESFORCE_TASK_FIELDS } from '../../mappings/crm';
import { BATCH_LINGER_MS, createCoalescingLoader, mergeWrites, type BatchOutcome, type BatchRequest, type CoalescingLoader } from './batching';
import { createCallBudget, DEFAULT_CALL_BUDGETS, type CallBudget, type CallBudgetLimit } from './call-budget';
import { salesforceCodeFailure, salesforceFailure } from './crm-errors';
import { type SalesforcePort, type SalesforceRecord, type SalesforceValue } from '../ports';
import { leadsChangedSince } from './salesforce-changes';
import { tasksCreatedSince } from './salesforce-task-feed';
import { createSalesforceSession, type SalesforceConnectionOptions } from './salesforce-connection';
import { isoInstant, locatorOf, queryPageSchema, saveResultSchema, toPortRecord, type recordSchema } from './salesforce-records';
import { soqlFields, soqlListChunks, soqlLiteral, soqlSelect } from './soql';
import type { z } from 'zod';

export interface SalesforceAdapterOptions extends SalesforceConnectionOptions {
  /** How long a batched call waits for others to share its request (longer when the budget is busy). */
  batchWindowMs?: number;
  /** How long it waits while handoffs run side by side (see batching.ts). */
  batchLingerMs?: number;
  /** Retry delay after REQUEST_LIMIT_EXCEEDED (Salesforce names none for its rolling 24 h window). */
  rateLimitRetryDelayMs?: number;
  /** Requests this process may make (SALESFORCE_CALLS_PER_SECOND per second by default). */
  callBudget?: CallBudgetLimit;
  /** A budget shared with other processes (worker/shared-call-budgets.ts); replaces `callBudget`. */
  budget?: CallBudget;
}

type RawRecord = z.infer<typeof recordSchema>;

const COLLECTION_LIMIT = 200;
/** Leads per shared query: their ids and emails are split further to keep each URL short. */
const QUERY_BATCH_LIMIT = 200;
/** Characters of IN-list literals per query; the query travels in the URL (about 16 KB at most). */
const IN_LIST_CHARS = 4_000;
const EXTERNAL_ID = SALESFORCE_LEAD_FIELDS.hubspotContactId;
const CREATED = 'CreatedDate';
/** A 15- or 18-character record id; anything else cannot name a record and would fail the whole query. */
const RECORD_ID = /^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/;

/** Salesforce accepts 15- or 18-character ids for the same record. */
function sameRecordId(a: string, b: string): boolean {
  return a.slice(0, 15) === b.slice(0, 15);
}

/** A field of a raw record whatever the case it was asked in (Salesforce answers canonical names). */
function fieldOf(raw: RawRecord, name: string): unknown {
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(raw)) if (key.toLowerCase() === lower) return value;
  return undefined;
}

/** A text field of a raw record; '' when absent or not text. */
function textOf(raw: RawRecord, name: string): string {
  const value = fieldOf(raw, name);
  return typeof value === 'string' ? value : '';
}

/** Whole seconds: SOQL date-time literals drop milliseconds, and so does this filter. */
function wholeSecond(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000) * 1000;
}

function saveFailure(operation: string, result: z.infer<typeof saveResultSchema> | undefined, rateLimitDelayMs?: number) {
  const error = result?.errors[0];
  return salesforceCodeFailure(operation, error?.statusCode ?? error?.errorCode ?? 'UNKNOWN_EXCEPTION', error?.fields, rateLimitDelayMs);
}

export function createSalesforceAdapter(options: SalesforceAdapterOptions): SalesforcePort {
  const session = createSalesforceSession(options);
  const budget = options.budget ?? createCallBudget(options.callBudget ?? { calls: DEFAULT_CALL_BUDGETS.salesforcePerSecond, perMs: 1_000 });
  const request: BatchRequest = (send) => budget.run(send);
  const windowMs = options.batchWindowMs ?? 10;
  const lingerMs = options.batchLingerMs ?? BATCH_LINGER_MS;
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

  /** Every page of a query, each page one request through `send`. */
  const queryAll = async (conn: Connection, soql: string, send: BatchRequest): Promise<RawRecord[]> => {
    let page = await send(() => queryPage(conn, soql));
    const records = [...page.records];
    while (!page.done && page.nextRecordsUrl) {
      const next = page.nextRecordsUrl;
      page = queryPageSchema.parse(await send(async () => conn.queryMore(next, { headers: {}, autoFetch: false, maxFetch: 10_000, scanAll: false, responseTarget: 'QueryResult' })));
      records.push(...page.records);
    }
    return records;
  };

  /** Records whose `field` is IN `values`, over as many queries as the URL length needs. */
  const queryIn = async (conn: Connection, send: BatchRequest, query: { select: string; from: string; field: string; values: string[]; and?: string; orderBy: string }) => {
    const records: RawRecord[] = [];
    for (const list of soqlListChunks([...new Set(query.values)], IN_LIST_CHARS)) {
      records.push(...(await queryAll(conn, `SELECT ${query.select} FROM ${query.from} WHERE ${query.field} IN ${list}${query.and ? ` AND ${query.and}` : ''} ORDER BY ${query.orderBy}`, send)));
    }
    return records;
  };

  /**
   * One loader per field list: callers asking for the same fields share queries, and a field list
   * Salesforce refuses fails only the callers that asked for it.
   */
  const byFields = <I extends { fields: string[] }, R>(make: (fields: string[]) => CoalescingLoader<I, R>) => {
    const loaders = new Map<string, CoalescingLoader<I, R>>();
    return (item: I): Promise<R> => {
      const key = item.fields.join(',');
      let loader = loaders.get(key);
      if (!loader) {
        loader = make(item.fields);
        loaders.set(key, loader);
      }
      return loader.load(item);
    };
  };

  type FindInput = Parameters<SalesforcePort['findLead']>[0];

  /**
   * The lead for each contact, in the port's order of precedence: by stored lead id, then the first
   * created with the HubSpot id, then the first created unconverted lead with the email. One query
   * asks all three for the whole batch; the precedence is applied to its rows per caller.
   */
  const findLeads = (fields: string[]) =>
    createCoalescingLoader<FindInput, SalesforceRecord | null>({
      maxBatchSize: QUERY_BATCH_LIMIT,
      windowMs,
      lingerMs,
      budget,
      runBatch: (items, send) =>
        guarded('findLead', async (conn) => {
          const select = soqlSelect(['Id', EXTERNAL_ID, SALESFORCE_LEAD_FIELDS.email, SALESFORCE_LEAD_FIELDS.isConverted, CREATED, ...fields]);
          const storedId = (item: FindInput) => (item.salesforceLeadId && RECORD_ID.test(item.salesforceLeadId) ? item.salesforceLeadId : undefined);
          const rows: RawRecord[] = [];
          for (const chunk of chunkByLiterals(items, (item) => [storedId(item), item.hubspotContactId, item.email])) {
            const ids = chunk.flatMap((item) => storedId(item) ?? []);
            const emails = chunk.flatMap((item) => item.email ?? []);
            const where = [
              ...(ids.length ? [`Id IN (${[...new Set(ids)].map(soqlLiteral).join(', ')})`] : []),
              `${EXTERNAL_ID} IN (${[...new Set(chunk.map((item) => item.hubspotContactId))].map(soqlLiteral).join(', ')})`,
              ...(emails.length ? [`(${SALESFORCE_LEAD_FIELDS.email} IN (${[...new Set(emails)].map(soqlLiteral).join(', ')}) AND ${SALESFORCE_LEAD_FIELDS.isConverted} = FALSE)`] : []),
            ].join(' OR ');
            rows.push(...(await queryAll(conn, `SELECT ${select} FROM Lead WHERE ${where} ORDER BY ${CREATED} ASC, Id ASC`, send)));
          }
          // Rows come oldest first, so the first match is the first created.
          return items.map((item): BatchOutcome<SalesforceRecord | null> => {
            const id = storedId(item);
            const email = item.email?.toLowerCase();
            const row =
              (id !== undefined ? rows.find((r) => sameRecordId(r.Id, id)) : undefined) ??
              rows.find((r) => fieldOf(r, EXTERNAL_ID) === item.hubspotContactId) ??
              (email ? rows.find((r) => fieldOf(r, SALESFORCE_LEAD_FIELDS.isConverted) === false && textOf(r, SALESFORCE_LEAD_FIELDS.email).toLowerCase() === email) : undefined);
            return { ok: true, value: row ? toPortRecord(row, item.fields) : null };
          });
        }),
    });

  const getLeads = (fields: string[]) =>
    createCoalescingLoader<{ leadId: string; fields: string[] }, SalesforceRecord | null>({
      maxBatchSize: QUERY_BATCH_LIMIT,
      windowMs,
      lingerMs,
      budget,
      runBatch: (items, send) =>
        guarded('getLead', async (conn) => {
          // An id that cannot name a record names no lead (a query would refuse the whole list).
          const ids = items.map((item) => item.leadId).filter((id) => RECORD_ID.test(id));
          const rows = ids.length ? await queryIn(conn, send, { select: soqlSelect(['Id', ...fields]), from: 'Lead', field: 'Id', values: ids, orderBy: 'Id ASC' }) : [];
          return items.map((item) => {
            const row = RECORD_ID.test(item.leadId) ? rows.find((r) => sameRecordId(r.Id, item.leadId)) : undefined;
            return { ok: true, value: row ? toPortRecord(row, item.fields) : null };
          });
        }),
    });

  type TasksInput = Parameters<SalesforcePort['tasksForLead']>[0];

  /** The tasks of many leads in one query from the earliest `since`, split per lead and cut at its own. */
  const readTasks = (fields: string[]) =>
    createCoalescingLoader<TasksInput, SalesforceRecord[]>({
      maxBatchSize: QUERY_BATCH_LIMIT,
      windowMs,
      lingerMs,
      budget,
      runBatch: async (items, send) => {
        const invalid = (item: TasksInput) =>
          !RECORD_ID.test(item.leadId) ? 'MALFORMED_ID' : Number.isNaN(Date.parse(item.since)) ? 'INVALID_QUERY_FILTER_OPERATOR' : undefined;
        const valid = items.filter((item) => invalid(item) === undefined);
        const rows = valid.length
          ? await guarded('tasksForLead', (conn) =>
              queryIn(conn, send, {
                select: soqlSelect(['Id', SALESFORCE_TASK_FIELDS.whoId, CREATED, ...fields]),
                from: 'Task',
                field: SALESFORCE_TASK_FIELDS.whoId,
                values: valid.map((item) => item.leadId),
                and: `${CREATED} >= ${soqlLiteral(new Date(Math.min(...valid.map((item) => wholeSecond(item.since)))))}`,
                orderBy: `${CREATED} ASC, Id ASC`,
              }),
            )
          : [];
        return items.map((item): BatchOutcome<SalesforceRecord[]> => {
          const problem = invalid(item);
          if (problem) return { ok: false, error: salesforceCodeFailure('tasksForLead', problem) };
          const since = wholeSecond(item.since);
          const mine = rows.filter((r) => sameRecordId(textOf(r, SALESFORCE_TASK_FIELDS.whoId), item.leadId) && Date.parse(isoInstant(textOf(r, CREATED))) >= since);
          return { ok: true, value: mine.map((r) => toPortRecord(r, item.fields)) };
        });
      },
    });

  const upserts = createCoalescingLoader<{ hubspotContactId: string; fields: Record<string, SalesforceValue> }, { id: string; created: boolean }>({
    maxBatchSize: COLLECTION_LIMIT,
    windowMs,
    lingerMs,
    budget,
    runBatch: async (items, send) => {
      // Two upserts of one contact in a batch merge in call order, as two sequential upserts would.
      const merged = mergeWrites(items, (item) => item.hubspotContactId, (item) => item.fields);
      const keys = [...merged.keys()];
      const results = keys.length
        ? await guarded('upsertLead', async (conn) =>
            saveResultSchema.array().parse(
              await send(() => conn.sobject('Lead').upsert(keys.map((key) => ({ ...merged.get(key), [EXTERNAL_ID]: key })), EXTERNAL_ID, { allOrNone: false })),
            ),
          )
        : [];
      const byKey = new Map(keys.map((key, i) => [key, results[i]]));
      return items.map((item) => {
        if (!item.hubspotContactId) return { ok: false, error: salesforceCodeFailure('upsertLead', 'MISSING_ARGUMENT', [EXTERNAL_ID]) };
        const result = byKey.get(item.hubspotContactId);
        if (result?.success && result.id) return { ok: true, value: { id: result.id, created: result.created ?? false } };
        return { ok: false, error: saveFailure('upsertLead', result, options.rateLimitRetryDelayMs) };
      });
    },
  });

  const updates = createCoalescingLoader<{ leadId: string; fields: Record<string, SalesforceValue> }, void>({
    maxBatchSize: COLLECTION_LIMIT,
    windowMs,
    lingerMs,
    budget,
    runBatch: async (items, send) => {
      const merged = mergeWrites(items, (item) => item.leadId, (item) => item.fields);
      const ids = [...merged.keys()];
      const results = await guarded('updateLead', async (conn) =>
        saveResultSchema.array().parse(await send(() => conn.sobject('Lead').update(ids.map((Id) => ({ Id, ...merged.get(Id) })), { allOrNone: false }))),
      );
      const byId = new Map(ids.map((id, i) => [id, results[i]]));
      return items.map((item) => {
        const result = byId.get(item.leadId);
        if (result?.success) return { ok: true, value: undefined };
        return { ok: false, error: saveFailure('updateLead', result, options.rateLimitRetryDelayMs) };
      });
    },
  });

  const findLead = byFields(findLeads);
  const getLead = byFields(getLeads);
  const tasksForLead = byFields(readTasks);

  return {
    findLead: (input) => findLead(input),

    upsertLead: (input) => upserts.load(input),

    updateLead: (input) => updates.load(input),

    getLead: (input) => getLead(input),

    leadsChangedSince: (input) =>
      guarded('leadsChangedSince', (conn) =>
        leadsChangedSince(async (soql) => (await request(() => queryPage(conn, soql))).records, input, (raw) => toPortRecord(raw, input.fields)),
      ),

    tasksForLead: (input) => tasksForLead(input),

    getOpportunityStage: ({ opportunityId }) =>
      guarded('getOpportunityStage', async (conn) => {
        if (!RECORD_ID.test(opportunityId)) throw salesforceCodeFailure('getOpportunityStage', 'MALFORMED_ID');
        const page = await request(() => queryPage(conn, `SELECT Id, StageName FROM Opportunity WHERE Id = ${soqlLiteral(opportunityId)}`));
        const stage = page.records[0]?.StageName;
        return typeof stage === 'string' ? stage : null;
      }),

    tasksCreatedSince: (input) => guarded('tasksCreatedSince', (conn) => tasksCreatedSince(async (soql) => (await request(() => queryPage(conn, soql))).records, input)),

    queryLeads: ({ where, fields, locator, pageSize }) =>
      guarded('queryLeads', async (conn) => {
        const page = locator
          ? queryPageSchema.parse(
              await request(async () =>
                conn.queryMore(locator, {
                  headers: pageSize ? { 'Sforce-Query-Options': `batchSize=${pageSize}` } : {},
                  autoFetch: false,
                  maxFetch: 10_000,
                  scanAll: false,
                  responseTarget: 'QueryResult',
                }),
              ),
            )
          : await request(() => queryPage(conn, `SELECT ${soqlFields([...new Set(['Id', ...fields])])} FROM Lead${where ? ` WHERE ${where}` : ''} ORDER BY Id ASC`, pageSize));
        const next = page.done ? undefined : locatorOf(page.nextRecordsUrl);
        return { records: page.records.map((raw) => toPortRecord(raw, fields)), totalSize: page.totalSize, ...(next ? { locator: next } : {}) };
      }),

    readGroupMembers: ({ groupName, outOfOfficeField }) =>
      guarded('readGroupMembers', async (conn) => {
        const groups = await queryAll(conn, `SELECT Id FROM Group WHERE DeveloperName = ${soqlLiteral(groupName)} AND Type IN ('Regular', 'Queue')`, request);
        const groupId = groups[0] ? toPortRecord(groups[0], []).id : undefined;
        if (!groupId) return null;
        const links = await queryAll(conn, `SELECT Id, UserOrGroupId FROM GroupMember WHERE GroupId = ${soqlLiteral(groupId)}`, request);
        // Members may be groups too (nested): only users are reps.
        const userIds = links.map((raw) => String(toPortRecord(raw, ['UserOrGroupId']).fields.UserOrGroupId ?? '')).filter((id) => id.startsWith('005'));
        if (!userIds.length) return { groupId, members: [] };
        const extra = outOfOfficeField ? [outOfOfficeField] : [];
        const users: RawRecord[] = [];
        for (const list of soqlListChunks(userIds, 8_000)) users.push(...(await queryAll(conn, `SELECT ${soqlFields(['Id', 'Name', 'IsActive', ...extra])} FROM User WHERE Id IN ${list} ORDER BY Id ASC`, request)));
        return {
          groupId,
          members: users.map((raw) => {
            const user = toPortRecord(raw, ['Name', 'IsActive', ...extra]);
            return { id: user.id, name: String(user.fields.Name ?? ''), isActive: user.fields.IsActive === true, outOfOffice: outOfOfficeField ? user.fields[outOfOfficeField] === true : false };
          }),
        };
      }),

    listUsers: () =>
      guarded('listUsers', async (conn) =>
        (await queryAll(conn, 'SELECT Id, Email, Name, IsActive FROM User ORDER BY Id ASC', request)).map((raw) => {
          const user = toPortRecord(raw, ['Email', 'Name', 'IsActive']);
          return { id: user.id, email: String(user.fields.Email ?? ''), name: String(user.fields.Name ?? ''), isActive: user.fields.IsActive === true };
        }),
      ),
  };
}

/** Splits items so the IN-list literals each group's query carries stay within IN_LIST_CHARS. */
function chunkByLiterals<T>(items: T[], literals: (item: T) => Array<string | undefined>): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let length = 0;
  for (const item of items) {
    const size = literals(item).reduce((sum, value) => sum + (value === undefined ? 0 : soqlLiteral(value).length + 2), 0);
    if (current.length > 0 && length + size > IN_LIST_CHARS) {
      chunks.push(current);
      current = [];
      length = 0;
    }
    current.push(item);
    length += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
