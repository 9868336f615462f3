/** The Salesforce lead fields the contract's SQL definition reads (activity criteria read none). Pure. */
import type { Contract } from './schema';

export function sqlSignalFields(contract: Pick<Contract, 'definitions'>): string[] {
  return [...new Set(contract.definitions.sql.signals.flatMap((p) => (p.op === 'activity' ? [] : [p.property])))];
}
