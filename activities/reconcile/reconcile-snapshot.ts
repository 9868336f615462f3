/**
 * Paging both CRMs into the report store, a bounded number of pages per activity call so the
 * workflow can show progress and keep only counts: HubSpot by search pages of 200 (keyset on
 * hs_object_id, which also steps past search's 10,000-result ceiling), Salesforce by query/queryMore.
 * Each page is heartbeated with its cursor; a retried call resumes from the last heartbeat.
 */
import { sqlSignalFields } from '../../mappings/contract';
import { readWithOptionalFields } from './optional-lead-fields';
import { Context } from '@temporalio/activity';
import { HUBSPOT_PROPERTIES as HS, SALESFORCE_LEAD_FIELDS as SF } from '../../mappings/crm';
import type { Contract } from '../../mappings/contract';
import { contractProperties } from '../crm';
import type { Pacer } from './reconcile-pacer';
import { FILES, toJsonLines } from './reconcile-files';
import type { ReportStore } from './reconcile-ports';
import type { HubSpotPort, SalesforcePort } from '../ports';

export const HUBSPOT_SEARCH_PAGE = 200;
export const SALESFORCE_QUERY_PAGE = 2000;

export interface PageCursor {
  /** The part file the next page goes to (1-based). */
  part: number;
  /** HubSpot: the last hs_object_id read. Salesforce: the queryMore locator. */
  cursor?: string;
}

export interface PagesResult {
  next: PageCursor;
  done: boolean;
  records: number;
  /** Records still to read after this call, as the CRM counts them (for progress). */
  remaining: number;
  calls: number;
}

/** Extra contact properties the report reads beyond what a handoff reads. */
const REPORT_PROPERTIES = ['hs_object_id', 'lastmodifieddate', 'hs_lifecyclestage_opportunity_date', 'hs_lifecyclestage_customer_date', 'lead_disposition'];

export function snapshotContactProperties(contract: Contract): string[] {
  return [...new Set([...contractProperties(contract), ...REPORT_PROPERTIES])].sort();
}

/** Lead fields: the bridge's vocabulary plus the Salesforce fields the contract's measures name. */
export function snapshotLeadFields(contract: Contract): string[] {
  const measured = contract.commitments.flatMap((c) => {
    const m = c.measure;
    return [m.start, ...('stop' in m ? [m.stop] : [])].filter((ref) => ref.system === 'salesforce' && !ref.field.startsWith('Task.') && !ref.field.includes(','));
  });
  return [...new Set([...Object.values(SF), ...measured.map((r) => r.field)])];
}

function resumeFrom(input: PageCursor): PageCursor {
  const details: unknown = Context.current().info.heartbeatDetails;
  if (details && typeof details === 'object' && 'part' in details && typeof details.part === 'number') {
    const cursor = 'cursor' in details && typeof details.cursor === 'string' ? details.cursor : undefined;
    return { part: details.part, ...(cursor !== undefined ? { cursor } : {}) };
  }
  return input;
}

export interface SnapshotDeps {
  hubspot: HubSpotPort;
  salesforce: SalesforcePort;
  store: ReportStore;
  contract: () => Contract;
  pacers: { hubspotSearch: Pacer };
}

export function createSnapshotActivities(deps: SnapshotDeps) {
  return {
    async snapshotHubSpotPages(input: { runId: string; from: PageCursor; maxPages: number }): Promise<PagesResult> {
      const properties = snapshotContactProperties(deps.contract());
      let at = resumeFrom(input.from);
      let records = 0;
      let remaining = 0;
      let calls = 0;
      for (let page = 0; page < input.maxPages; page++) {
        await deps.pacers.hubspotSearch.wait();
        const result = await deps.hubspot.searchContacts({
          filterGroups: at.cursor ? [{ filters: [{ propertyName: 'hs_object_id', operator: 'GT', value: at.cursor }] }] : [],
          properties,
          sorts: ['hs_object_id'],
          limit: HUBSPOT_SEARCH_PAGE,
        });
        calls++;
        const contacts = result.results.map((c) => ({ id: c.id, properties: c.properties }));
        // With the keyset filter, search's `total` counts what is left from the cursor on.
        remaining = Math.max(0, result.total - contacts.length);
        await deps.store.write({ runId: input.runId, name: FILES.hubspotPart(at.part), content: toJsonLines(contacts) });
        records += contacts.length;
        const last = contacts[contacts.length - 1];
        at = { part: at.part + 1, ...(last ? { cursor: last.id } : at.cursor ? { cursor: at.cursor } : {}) };
        Context.current().heartbeat(at);
        if (contacts.length < HUBSPOT_SEARCH_PAGE) return { next: at, done: true, records, remaining: 0, calls };
      }
      return { next: at, done: false, records, remaining, calls };
    },

    async snapshotSalesforcePages(input: { runId: string; from: PageCursor; maxPages: number }): Promise<PagesResult> {
      const contract = deps.contract();
      const fields = snapshotLeadFields(contract);
      // The SQL definition's fields, where the org has them: without them the funnel's SQL is SIGNAL MISSING.
      // Asked by a query that matches no lead, since a continued page cannot say which fields its query had.
      const sqlFields = sqlSignalFields(contract).filter((f) => !fields.includes(f));
      const { optionalRead } = await readWithOptionalFields(sqlFields, (extra) => deps.salesforce.queryLeads({ where: `${SF.id} = null`, fields: extra, pageSize: 1 }));
      const read = optionalRead ? [...fields, ...sqlFields] : fields;
      let at = resumeFrom(input.from);
      let records = 0;
      let remaining = 0;
      let calls = 0;
      for (let page = 0; page < input.maxPages; page++) {
        // A resumed run whose first page was written has a locator; a fresh one starts the query.
        const result = await deps.salesforce.queryLeads({ fields: read, pageSize: SALESFORCE_QUERY_PAGE, ...(at.cursor ? { locator: at.cursor } : {}) });
        calls++;
        const leads = result.records.map((r) => ({ id: r.id, fields: r.fields }));
        await deps.store.write({ runId: input.runId, name: FILES.salesforcePart(at.part), content: toJsonLines(leads) });
        records += leads.length;
        // Pages before this one were full (the query's batch size): what is left of the total.
        remaining = Math.max(0, result.totalSize - ((at.part - 1) * SALESFORCE_QUERY_PAGE + leads.length));
        at = { part: at.part + 1, ...(result.locator ? { cursor: result.locator } : {}) };
        Context.current().heartbeat(at);
        if (!result.locator) return { next: at, done: true, records, remaining: 0, calls };
      }
      return { next: at, done: false, records, remaining, calls };
    },

    async snapshotPeople(input: { runId: string }): Promise<{ owners: number; users: number; calls: { hubspot: number; salesforce: number } }> {
      const [owners, users] = await Promise.all([deps.hubspot.listOwners(), deps.salesforce.listUsers()]);
      const people = { owners: owners.map((o) => ({ id: o.id, email: o.email })), users: users.map((u) => ({ id: u.id, email: u.email })) };
      await deps.store.write({ runId: input.runId, name: FILES.people, content: JSON.stringify(people) });
      return { owners: owners.length, users: users.length, calls: { hubspot: 1, salesforce: 1 } };
    },
  };
}

/** The Salesforce lead id a contact links to, as the contact records it. */
export function linkedLeadId(properties: Record<string, string | null>): string | null {
  return properties[HS.salesforceLeadId] ?? null;
}
