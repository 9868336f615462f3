/**
 * The part of a contract version a handoff's workflow code reads: its windows, definitions, taxonomy,
 * calendar, field and status mappings, and routing without the reps. It is what a handoff records in
 * its history when it pins a contract version (`loadPolicy`), so everything only activities read
 * (the reps and their channels, the alert facts, the commitments, governance, the CRM catalogue)
 * stays out: activities resolve the whole version by its hash. Pure.
 */
import type { CoveringRep } from './coverage';
import type { Contract } from './schema';

export type HandoffContract = Pick<
  Contract,
  'definitions' | 'dataCompleteness' | 'handoff' | 'rejectionTaxonomy' | 'contactAttempts' | 'calendar' | 'fieldMappings' | 'statusMapping'
> & { routing: Omit<Contract['routing'], 'reps'> & { reps: CoveringRep[] } };

/** A contract version as a handoff pins it: the content hash activities resolve, and the workflow's part. */
export interface PinnedContract {
  hash: string;
  contract: HandoffContract;
}

export function handoffContractOf(contract: Contract): HandoffContract {
  const { definitions, dataCompleteness, handoff, rejectionTaxonomy, contactAttempts, calendar, fieldMappings, statusMapping } = contract;
  // Of the reps, only who covers which territory: how often a missed window can be reassigned (coverage.ts).
  const { reps, ...rest } = contract.routing;
  const routing = { ...rest, reps: reps.map(({ id, territories }) => ({ id, ...(territories ? { territories } : {}) })) };
  return { definitions, dataCompleteness, handoff, rejectionTaxonomy, contactAttempts, calendar, fieldMappings, statusMapping, routing };
}
