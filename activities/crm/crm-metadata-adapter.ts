/**
 * Reads the CRMs' configuration for `sla check --live` and the worker's start-up check, through the
 * official clients: Salesforce `describe` of Lead and the reps' User records (jsforce); HubSpot
 * contact property definitions, active owners and the lists the contract names (@hubspot/api-client).
 * Only reads; the comparison is mappings/check/check-live.ts.
 */
import { z } from 'zod';
import type { CrmMetadata } from '../../mappings/check';
import { hubspotFailure, salesforceFailure } from './crm-errors';
import { CALL_OPTIONS as call, createHubSpotClient, type HubSpotClientOptions } from './hubspot-client';
import { createSalesforceSession, type SalesforceConnectionOptions } from './salesforce-connection';
import { soqlList } from './soql';

export interface CrmMetadataOptions {
  hubspot: HubSpotClientOptions;
  salesforce: SalesforceConnectionOptions;
}

export interface CrmMetadataWanted {
  repIds: string[];
  repEmails: string[];
  listIds: string[];
}

const describeSchema = z.object({
  fields: z.array(
    z.object({
      name: z.string(),
      type: z.string(),
      restrictedPicklist: z.boolean().optional(),
      picklistValues: z.array(z.object({ value: z.string(), active: z.boolean() })).nullish(),
    }),
  ),
});
const userSchema = z.object({ Id: z.string(), Email: z.string().nullish(), IsActive: z.boolean() });
const usersPageSchema = z.object({ records: z.array(userSchema), done: z.boolean(), nextRecordsUrl: z.string().optional() });

function isNotFound(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && err.code === 404;
}

export async function readCrmMetadata(options: CrmMetadataOptions, wanted: CrmMetadataWanted): Promise<CrmMetadata> {
  const [salesforce, hubspot] = await Promise.all([readSalesforce(options.salesforce, wanted), readHubSpot(options.hubspot, wanted)]);
  return { salesforce, hubspot };
}

async function readSalesforce(options: SalesforceConnectionOptions, wanted: CrmMetadataWanted): Promise<CrmMetadata['salesforce']> {
  const session = createSalesforceSession(options);
  try {
    const conn = await session.ready();
    const described = describeSchema.parse(await conn.sobject('Lead').describe());
    // Ids as the contract writes them (15 or 18 characters) and emails, for reps named either way.
    const ids = wanted.repIds.filter((id) => /^005[0-9A-Za-z]{12}([0-9A-Za-z]{3})?$/.test(id));
    const where = [ids.length > 0 ? `Id IN ${soqlList(ids)}` : '', wanted.repEmails.length > 0 ? `Email IN ${soqlList(wanted.repEmails)}` : ''].filter(Boolean).join(' OR ');
    const users: CrmMetadata['salesforce']['users'] = [];
    if (where !== '') {
      let page = usersPageSchema.parse(await conn.query(`SELECT Id, Email, IsActive FROM User WHERE ${where}`, { autoFetch: false }));
      users.push(...page.records.map((u) => ({ id: u.Id, email: u.Email ?? '', active: u.IsActive })));
      while (!page.done && page.nextRecordsUrl) {
        page = usersPageSchema.parse(await conn.queryMore(page.nextRecordsUrl, { headers: {}, autoFetch: false, maxFetch: 10_000, scanAll: false, responseTarget: 'QueryResult' }));
        users.push(...page.records.map((u) => ({ id: u.Id, email: u.Email ?? '', active: u.IsActive })));
      }
    }
    return {
      leadFields: described.fields.map((f) => ({
        name: f.name,
        type: f.type,
        picklistValues: (f.picklistValues ?? []).filter((v) => v.active).map((v) => v.value),
        restrictedPicklist: f.restrictedPicklist === true,
      })),
      users,
    };
  } catch (err) {
    throw salesforceFailure('readMetadata', err);
  }
}

async function readHubSpot(options: CrmMetadataOptions['hubspot'], wanted: CrmMetadataWanted): Promise<CrmMetadata['hubspot']> {
  const client = createHubSpotClient(options);
  try {
    const properties = await client.crm.properties.coreApi.getAll('contacts', false, undefined, call);
    const owners: CrmMetadata['hubspot']['owners'] = [];
    let after: string | undefined;
    do {
      const page = await client.crm.owners.ownersApi.getPage(undefined, after, 500, false, call);
      owners.push(...page.results.map((o) => ({ id: o.id, email: o.email ?? '' })));
      after = page.paging?.next?.after;
    } while (after);
    const existingListIds: string[] = [];
    for (const listId of wanted.listIds) {
      try {
        await client.crm.lists.listsApi.getById(listId, false, call);
        existingListIds.push(listId);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    return {
      contactProperties: properties.results.map((p) => ({ name: p.name, type: p.type, options: p.options.map((o) => o.value) })),
      owners,
      existingListIds,
    };
  } catch (err) {
    throw hubspotFailure('readMetadata', err);
  }
}
