/**
 * `sla check`: the lint a contract must pass before both teams sign it. Parse and schema errors come
 * from parseContract; this finds what a schema cannot see — unknown owners and properties, subjective
 * or unmapped criteria, deal-stage-like lifecycle stages, references outside the closed rejection
 * taxonomy, and windows or calendars that cannot work.
 */
import { checkCalendarAndRouting } from './check-calendar';
import { checkCommitments } from './check-commitments';
import { checkCrm } from './check-crm';
import { checkDefinitions } from './check-definitions';
import { checkHandoff } from './check-handoff';
import { Findings, locateFindings, type Finding, type SourceMap, type Contract } from '../contract';

export type { Finding, SourceMap } from '../contract';

export function checkContract(contract: Contract, sourceMap?: SourceMap): Finding[] {
  const findings = new Findings();
  checkDefinitions(contract, findings);
  checkCommitments(contract, findings);
  checkHandoff(contract, findings);
  checkCrm(contract, findings);
  checkCalendarAndRouting(contract, findings);
  return locateFindings(findings.list, sourceMap);
}

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}
