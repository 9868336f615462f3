/**
 * The recorded facts a what-if replays, read the way the reconciliation reads them and read-only:
 * HubSpot contacts the bridge handed over (search, keyset on hs_object_id), their Salesforce leads
 * (SOQL `Id IN (…)`), the Tasks logged on them since the period began, and — only for the
 * properties a changed definition or routing needs — the contacts' property histories, so a
 * definition is judged on the values at MQL. No CRM write, no Temporal call.
 */
import { HUBSPOT_PROPERTIES as HS } from '../../mappings/crm';
import type { ContactHistory } from '../../mappings/metrics';
import type { LeadFacts } from '../../mappings/metrics';
import type { Contract } from '../../mappings/contract';
import { taskChannel } from '../../mappings/crm';
import { predicateProperties } from '../crm';
import type { HubSpotPort, SalesforcePort } from '../ports';
import type { ReconcileReadsPort } from './reconcile-ports';
import { HUBSPOT_SEARCH_PAGE, snapshotContactProperties, snapshotLeadFields } from './reconcile-snapshot';
import { soqlList } from '../crm';

export interface WhatIfReads {
  hubspot: HubSpotPort;
  salesforce: SalesforcePort;
  reads: ReconcileReadsPort;
}

export interface WhatIfFacts {
  facts: LeadFacts[];
  histories: ContactHistory[];
  /** The properties whose history was read (none: the proposal needs none). */
  historyRead: string[];
  calls: { hubspot: number; salesforce: number };
}

const SOQL_IN_BATCH = 200;
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Properties whose values at MQL the proposal needs: those its changed MQL definition or routing reads. */
export function propertiesAtMqlNeeded(actual: Contract, proposed: Contract): string[] {
  const names = new Set<string>();
  const mql = proposed.definitions.mql;
  if (!same(actual.definitions.mql, mql)) for (const p of [...mql.fit, ...mql.engagement]) predicateProperties(p).forEach((n) => names.add(n));
  if (!same(actual.routing, proposed.routing)) {
    for (const p of proposed.routing.priorityLeads ?? []) predicateProperties(p).forEach((n) => names.add(n));
    if (proposed.routing.territoryProperty) names.add(proposed.routing.territoryProperty);
  }
  return [...names].sort();
}

export async function readWhatIfFacts(deps: WhatIfReads, input: { actual: Contract; proposed: Contract; since: string }): Promise<WhatIfFacts> {
  const calls = { hubspot: 0, salesforce: 0 };
  const properties = [...new Set([...snapshotContactProperties(input.actual), ...snapshotContactProperties(input.proposed)])].sort();
  // Every contact the bridge ever assigned: each handed-over episode stamps handoff_assigned_at.
  const contacts: Array<{ id: string; properties: Record<string, string | null> }> = [];
  for (let cursor: string | undefined; ; ) {
    const page = await deps.hubspot.searchContacts({
      filterGroups: [{ filters: [{ propertyName: HS.handoffAssignedAt, operator: 'HAS_PROPERTY' }, ...(cursor ? [{ propertyName: 'hs_object_id', operator: 'GT' as const, value: cursor }] : [])] }],
      properties,
      sorts: ['hs_object_id'],
      limit: HUBSPOT_SEARCH_PAGE,
    });
    calls.hubspot++;
    contacts.push(...page.results.map((c) => ({ id: c.id, properties: c.properties })));
    const last = page.results[page.results.length - 1];
    if (!last || page.results.length < HUBSPOT_SEARCH_PAGE) break;
    cursor = last.id;
  }

  const leadIds = [...new Set(contacts.flatMap((c) => (c.properties[HS.salesforceLeadId] ? [c.properties[HS.salesforceLeadId] ?? ''] : [])))];
  const fields = [...new Set([...snapshotLeadFields(input.actual), ...snapshotLeadFields(input.proposed)])];
  const leads = new Map<string, LeadFacts['salesforce']>();
  for (let i = 0; i < leadIds.length; i += SOQL_IN_BATCH) {
    let page = await deps.salesforce.queryLeads({ where: `Id IN ${soqlList(leadIds.slice(i, i + SOQL_IN_BATCH))}`, fields });
    calls.salesforce++;
    for (const r of page.records) leads.set(r.id, r.fields);
    while (page.locator) {
      page = await deps.salesforce.queryLeads({ fields, locator: page.locator });
      calls.salesforce++;
      for (const r of page.records) leads.set(r.id, r.fields);
    }
  }
  const tasks = leadIds.length ? await deps.reads.leadTasks({ leadIds, since: input.since }) : [];
  calls.salesforce += Math.ceil(leadIds.length / SOQL_IN_BATCH);
  const tasksByLead = new Map<string, Array<{ createdAt: string; channel: string }>>();
  for (const t of tasks) tasksByLead.set(t.leadId, [...(tasksByLead.get(t.leadId) ?? []), { createdAt: t.createdAt, channel: taskChannel(t.type) }]);

  const historyRead = propertiesAtMqlNeeded(input.actual, input.proposed);
  const histories = historyRead.length && contacts.length ? await deps.reads.contactHistories({ contactIds: contacts.map((c) => c.id), properties: historyRead }) : [];
  if (historyRead.length) calls.hubspot += Math.ceil(contacts.length / 50);

  const facts = contacts.map((contact): LeadFacts => {
    const leadId = contact.properties[HS.salesforceLeadId] ?? undefined;
    const lead = leadId ? leads.get(leadId) : undefined;
    return {
      contactId: contact.id,
      hubspot: contact.properties,
      salesforce: lead ?? {},
      ...(lead && leadId ? { leadId } : {}),
      attempts: lead && leadId ? (tasksByLead.get(leadId) ?? []) : [],
    };
  });
  return { facts, histories, historyRead, calls };
}
