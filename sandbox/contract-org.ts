/**
 * Makes the sandboxes a working org for a contract as written, ids included: every rep an active
 * Salesforce user with the contract's own user id and a HubSpot owner with the same email, the
 * portal's properties and options the contract names, and its nurture lists under their ids. With
 * this, `sandbox` + `serve` with the built-in contract runs handoffs without editing anything.
 */
import type { Contract } from '../mappings/contract';
import type { HubSpotStore } from './hubspot/contact-store';
import { configureHubSpotPortalFor } from './portal-schema';
import { sameRecordId } from './salesforce/ids';
import type { SalesforceStore } from './salesforce/store';

export interface ContractOrg {
  userIds: string[];
  ownerIds: string[];
  listIds: string[];
}

export function seedOrgForContract(contract: Contract, stores: { hubspot: HubSpotStore; salesforce: SalesforceStore }): ContractOrg {
  configureHubSpotPortalFor(stores.hubspot, contract);
  const userIds = contract.routing.reps.map((rep, index) => {
    const existing = stores.salesforce.list('User').find((u) => sameRecordId(u.id, rep.id));
    if (existing) return existing.id;
    const [firstName = 'Rep', ...rest] = rep.name.split(' ');
    return stores.salesforce.createWithId('User', rep.id, {
      Username: rep.email,
      Email: rep.email,
      FirstName: firstName,
      LastName: rest.join(' ') || 'Rep',
      Alias: `rep${index}`,
      TimeZoneSidKey: rep.timeZone,
    }).id;
  });
  const ownerIds = contract.routing.reps.map((rep) => {
    const existing = [...stores.hubspot.owners.values()].find((o) => o.email === rep.email);
    if (existing) return existing.id;
    const [firstName = 'Rep', ...rest] = rep.name.split(' ');
    return stores.hubspot.addOwner({ email: rep.email, firstName, lastName: rest.join(' ') || 'Rep' }).id;
  });
  const lists = [
    { id: contract.handoff.revert.nurtureListId, name: 'Nurture (revert)' },
    ...contract.rejectionTaxonomy.flatMap((r) => (r.nurtureListId ? [{ id: r.nurtureListId, name: `Nurture (${r.code})` }] : [])),
  ];
  const listIds: string[] = [];
  for (const list of lists) {
    if (!stores.hubspot.lists.has(list.id)) stores.hubspot.createList(list.name, list.id);
    if (!listIds.includes(list.id)) listIds.push(list.id);
  }
  return { userIds, ownerIds, listIds };
}
