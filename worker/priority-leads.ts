/**
 * Which of a webhook batch's new MQLs are priority leads, decided at the ingress so that the handoff
 * starts with the top task priority: its very first workflow task must not wait behind a burst's.
 * One batched HubSpot read per webhook batch (up to 100 contacts), and none at all when the contract
 * names no priority leads. The handoff decides again on what it reads itself (for its routing lane):
 * a read that fails here only costs the lead its head start, never the lead.
 */
import { predicateProperties } from '../activities/crm';
import type { HubSpotPort } from '../activities/ports';
import { isPriorityLead } from '../mappings/routing';
import type { Contract } from '../mappings/contract';

export type PriorityLeads = (contactIds: string[]) => Promise<Set<string>>;

export function priorityLeadsFrom(deps: { hubspot: HubSpotPort; contract: () => Contract; now?: () => Date }): PriorityLeads {
  return async (contactIds) => {
    const contract = deps.contract();
    const predicates = contract.routing.priorityLeads ?? [];
    if (!predicates.length || !contactIds.length) return new Set();
    const properties = [...new Set(predicates.flatMap(predicateProperties))];
    const contacts = await deps.hubspot.getContacts({ contactIds, properties });
    const now = (deps.now ?? (() => new Date()))();
    return new Set(contacts.filter((c) => isPriorityLead(contract, c.properties, now)).map((c) => c.id));
  };
}
