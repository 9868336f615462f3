/**
 * A contract as an operator's file (`--contract FILE`): YAML is a superset of JSON, so the contract's
 * JSON is read back by the same parser. The business-day length the schema derives is left out.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Contract } from '../../mappings/contract';

export function writeContractFile(dir: string, name: string, contract: Contract): string {
  const { businessDayMinutes: _derived, ...calendar } = contract.calendar;
  const path = join(dir, `${name}.yaml`);
  writeFileSync(path, JSON.stringify({ ...contract, calendar }));
  return path;
}
