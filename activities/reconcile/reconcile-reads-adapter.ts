/**
 * ReconcileReadsPort through the official clients: HubSpot batch reads with `propertiesWithHistory`
 * (@hubspot/api-client) and SOQL `IN (…)` queries with queryMore (jsforce). Errors are translated at
 * this boundary like the main adapters'; SDK retries stay off (Temporal retries the activity). Every
 * request passes through the CRM's call budget, the one live handoffs use (`budgets`), so live
 * traffic and a reconciliation together stay within the portal's limits.
 */
import type { Connection } from 'jsforce';
import { z } from 'zod';
import type { ContactHistory } from '../../mappings/metrics';
import { hubspotFailure, salesforceFailure, HUBSPOT_CALL_OPTIONS as call, createHubSpotClient, type HubSpotClientOptions, createSalesforceSession, type SalesforceConnectionOptions, isoInstant, queryPageSchema, soqlList, soqlLiteral, UNBUDGETED, type CallBudget } from '../crm';
import { HUBSPOT_HISTORY_BATCH, type LeadTask, type ReconcileReadsPort } from './reconcile-ports';

export interface ReconcileReadsOptions {
  hubspot: HubSpotClientOptions;
  salesforce: SalesforceConnectionOptions;
  /** The budgets the live adapters use (one per CRM); unbudgeted only where none is given (tests). */
  budgets?: { hubspot: CallBudget; salesforce: CallBudget };
}

const SOQL_IN_BATCH = 200;

const instant = z.union([z.date(), z.string()]).transform((v) => (v instanceof Date ? v.toISOString() : v));
const historyPageSchema = z.object({
  results: z.array(
    z.object({
      id: z.string(),
      propertiesWithHistory: z.record(z.string(), z.array(z.object({ value: z.string(), timestamp: instant, sourceType: z.string() }))).optional(),
    }),
  ),
});

const opportunityRecordSchema = z.object({ Id: z.string(), StageName: z.string() });
const taskRecordSchema = z.object({ WhoId: z.string(), Type: z.string().nullish(), CreatedDate: z.string() });

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function createReconcileReadsAdapter(options: ReconcileReadsOptions): ReconcileReadsPort {
  const hubspot = createHubSpotClient(options.hubspot);
  const session = createSalesforceSession(options.salesforce);
  const hubspotBudget = options.budgets?.hubspot ?? UNBUDGETED;
  const salesforceBudget = options.budgets?.salesforce ?? UNBUDGETED;

  /** Every record of a query, following queryMore. */
  const queryAll = async (conn: Connection, soql: string) => {
    let page = queryPageSchema.parse(await salesforceBudget.run(async () => conn.query(soql, { autoFetch: false })));
    const records = [...page.records];
    while (!page.done && page.nextRecordsUrl) {
      const next = page.nextRecordsUrl;
      page = queryPageSchema.parse(await salesforceBudget.run(async () => conn.queryMore(next, { headers: {}, autoFetch: false, maxFetch: 10_000, scanAll: false, responseTarget: 'QueryResult' })));
      records.push(...page.records);
    }
    return records;
  };

  const salesforce = async <T>(operation: string, fn: (conn: Connection) => Promise<T>): Promise<T> => {
    try {
      return await fn(await session.ready());
    } catch (err) {
      throw salesforceFailure(operation, err);
    }
  };

  return {
    async contactHistories({ contactIds, properties }) {
      const histories: ContactHistory[] = [];
      for (const ids of chunks([...new Set(contactIds)], HUBSPOT_HISTORY_BATCH)) {
        let raw: unknown;
        try {
          raw = await hubspotBudget.run(() => hubspot.crm.contacts.batchApi.read({ inputs: ids.map((id) => ({ id })), properties: [], propertiesWithHistory: properties }, undefined, call));
        } catch (err) {
          throw hubspotFailure('contactHistories', err);
        }
        for (const contact of historyPageSchema.parse(raw).results) {
          histories.push({ contactId: contact.id, properties: contact.propertiesWithHistory ?? {} });
        }
      }
      return histories;
    },

    async opportunityStages({ opportunityIds }) {
      const stages: Record<string, string> = {};
      for (const ids of chunks([...new Set(opportunityIds)], SOQL_IN_BATCH)) {
        const records = await salesforce('opportunityStages', (conn) => queryAll(conn, `SELECT Id, StageName FROM Opportunity WHERE Id IN ${soqlList(ids)}`));
        for (const r of records.map((raw) => opportunityRecordSchema.parse(raw))) stages[r.Id] = r.StageName;
      }
      return stages;
    },

    async leadTasks({ leadIds, since }) {
      const tasks: LeadTask[] = [];
      for (const ids of chunks([...new Set(leadIds)], SOQL_IN_BATCH)) {
        const soql = `SELECT Id, WhoId, Type, CreatedDate FROM Task WHERE WhoId IN ${soqlList(ids)} AND CreatedDate >= ${soqlLiteral(new Date(since))} ORDER BY CreatedDate ASC, Id ASC`;
        const records = await salesforce('leadTasks', (conn) => queryAll(conn, soql));
        for (const r of records.map((raw) => taskRecordSchema.parse(raw))) tasks.push({ leadId: r.WhoId, type: r.Type ?? '', createdAt: isoInstant(r.CreatedDate) });
      }
      return tasks;
    },
  };
}
