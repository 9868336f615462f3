/**
 * Which of a webhook batch's new MQLs are priority leads, decided at the ingress so that the handoff
 * starts with the top task priority: its very first workflow task must not wait behind a burst's.
 * One batched HubSpot read per webhook batch (up to 100 contacts), and none at all when the contract
 * names no priority leads. The read asks for every property the contract reads, so a priority lead's
 * handoff takes it as its first read (HandoffInput.contactRead) instead of reading HubSpot again.
 * The handoff decides again on what it has read (for its routing lane): a read that fails here only
 * costs the lead its head start, never the lead.
 */
import { contractProperties } from '../activities/crm';
import { contractHash } from '../activities/contract';
import type { HubSpotPort } from '../activities/ports';
import type { ContactRead } from '../api/handoff';
import { isPriorityLead } from '../mappings/routing';
import type { Contract } from '../mappings/contract';

/** The priority leads among the contact ids, each with the contact as read (by contact id). */
export type PriorityLeads = (contactIds: string[]) => Promise<Map<string, ContactRead>>;

export function priorityLeadsFrom(deps: { hubspot: HubSpotPort; contract: () => Contract; now?: () => Date }): PriorityLeads {
  return async (contactIds) => {
    const contract = deps.contract();
    if (!contract.routing.priorityLeads?.length || !contactIds.length) return new Map();
    const contacts = await deps.hubspot.getContacts({ contactIds, properties: contractProperties(contract) });
    const now = (deps.now ?? (() => new Date()))();
    const hash = contractHash(contract);
    return new Map(contacts.filter((c) => isPriorityLead(contract, c.properties, now)).map((contact) => [contact.id, { contractHash: hash, contact }]));
  };
}
