/**
 * What the live check compares the contract with: the CRMs' own configuration, read through the real
 * clients (activities/crm/crm-metadata-adapter.ts) and handed over as plain data, so the comparison in
 * check-live.ts stays pure and testable without a CRM.
 */
import type { Contract } from '../contract';

export interface SalesforceFieldMetadata {
  name: string;
  type: string;
  /** Active picklist values (empty for other types). */
  picklistValues: string[];
  restrictedPicklist: boolean;
}

export interface SalesforceUserMetadata {
  id: string;
  email: string;
  active: boolean;
}

export interface HubSpotPropertyMetadata {
  name: string;
  type: string;
  /** Option values of an enumeration (empty for other types). */
  options: string[];
}

export interface CrmMetadata {
  salesforce: {
    /** `describe` of Lead. */
    leadFields: SalesforceFieldMetadata[];
    /** The users the contract's reps name (by id or email); others may be left out. */
    users: SalesforceUserMetadata[];
  };
  hubspot: {
    contactProperties: HubSpotPropertyMetadata[];
    /** Active (not archived) owners. */
    owners: Array<{ id: string; email: string }>;
    /** The lists the contract names that exist. */
    existingListIds: string[];
  };
}

/** What the reads need to know from the contract: the reps to look up and the lists to find. */
export function metadataWanted(contract: Contract): { repIds: string[]; repEmails: string[]; listIds: string[] } {
  const listIds = [contract.handoff.revert.nurtureListId, ...contract.rejectionTaxonomy.flatMap((r) => (r.nurtureListId ? [r.nurtureListId] : []))];
  return {
    repIds: contract.routing.reps.map((r) => r.id),
    repEmails: contract.routing.reps.map((r) => r.email),
    listIds: [...new Set(listIds.map(String))],
  };
}
