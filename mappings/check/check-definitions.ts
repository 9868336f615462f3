/**
 * Observability: every definition, required field, alert fact and connector filter must name a
 * property a machine can read in the system where it is evaluated. MQL predicates (and the connector
 * inclusion list, alert facts, required fields) read the HubSpot contact; SAL and SQL read the
 * Salesforce lead.
 */
import { ACTIVITY_SOURCES, type Findings, knownProperties, type KnownProperties, type Predicate, type Contract, syncDirections } from '../contract';
import { subjectiveTerm } from './subjective-terms';

type System = 'hubspot' | 'salesforce';
const SYSTEM_NAME: Record<System, string> = { hubspot: 'HubSpot', salesforce: 'Salesforce' };

interface Scope {
  contract: Contract;
  known: KnownProperties;
  findings: Findings;
}

/** The error for a property that cannot be read in `system`, or undefined when it can. */
function unreadable(scope: Scope, property: string, system: System, what: string): string | undefined {
  if (scope.known[system].has(property)) return undefined;
  const other: System = system === 'hubspot' ? 'salesforce' : 'hubspot';
  if (!scope.known[other].has(property)) {
    return `not observable: "${property}" is not a known ${SYSTEM_NAME[system]} property (add it to crm.properties or a field mapping, or use a standard one)`;
  }
  const mapping = scope.contract.fieldMappings.find((m) => m[other] === property && (system === 'salesforce' ? syncDirections(m.rule).toSalesforce : syncDirections(m.rule).toHubSpot));
  if (mapping) return `"${property}" is a ${SYSTEM_NAME[other]} name but ${what} reads ${SYSTEM_NAME[system]}: use the mapped "${mapping[system]}" (rule ${mapping.rule})`;
  return `unmapped property: "${property}" lives in ${SYSTEM_NAME[other]}, ${what} reads ${SYSTEM_NAME[system]}, and no field mapping carries it there`;
}

function checkPredicate(scope: Scope, p: Predicate, path: string, system: System, what: string): void {
  if (p.op === 'activity') {
    const source = ACTIVITY_SOURCES[p.type];
    if (system !== 'hubspot') scope.findings.error(path, `activity predicates read HubSpot activity properties, but ${what} reads Salesforce`);
    if (p.named !== undefined && !source.name) scope.findings.error(`${path}.named`, `HubSpot records no name for a ${source.noun}: drop "named"`);
    if (p.atLeast !== undefined && !source.count) scope.findings.error(`${path}.atLeast`, `HubSpot keeps no count of ${source.noun}s: drop "atLeast"`);
    return;
  }
  const problem = unreadable(scope, p.property, system, what);
  if (problem) scope.findings.error(`${path}.property`, problem);
  const isCustom = scope.contract.crm.properties.some((c) => c.name === p.property) || !scope.known[system].has(p.property);
  const nameTerm = isCustom ? subjectiveTerm(p.property) : undefined;
  if (nameTerm) scope.findings.error(`${path}.property`, `rests on subjective judgement: "${p.property}" records an opinion ("${nameTerm}"), not an observable fact`);
  const values = p.op === 'eq' || p.op === 'neq' ? [p.value] : p.op === 'in' || p.op === 'not_in' ? p.values : [];
  for (const value of values) {
    const term = typeof value === 'string' ? subjectiveTerm(value) : undefined;
    if (term) scope.findings.error(`${path}.value`, `rests on subjective judgement: the value "${String(value)}" ("${term}") is an opinion, not an observable fact`);
  }
}

function checkList(scope: Scope, list: readonly Predicate[], path: string, system: System, what: string): void {
  list.forEach((p, i) => checkPredicate(scope, p, `${path}.${i}`, system, what));
}

function checkHubSpotProperties(scope: Scope, names: readonly string[], path: string, what: string): void {
  names.forEach((name, i) => {
    const problem = unreadable(scope, name, 'hubspot', what);
    if (problem) scope.findings.error(`${path}.${i}`, problem);
  });
}

export function checkDefinitions(contract: Contract, findings: Findings): void {
  const scope: Scope = { contract, known: knownProperties(contract), findings };
  const { mql, sal, sql } = contract.definitions;
  checkList(scope, mql.fit, 'definitions.mql.fit', 'hubspot', 'the MQL definition');
  checkList(scope, mql.engagement, 'definitions.mql.engagement', 'hubspot', 'the MQL definition');
  checkList(scope, sal.confirmedBy, 'definitions.sal.confirmedBy', 'salesforce', 'the SAL definition');
  checkList(scope, sql.signals, 'definitions.sql.signals', 'salesforce', 'the SQL definition');
  checkList(scope, contract.connector.inclusion, 'connector.inclusion', 'hubspot', 'the connector inclusion list');
  checkHubSpotProperties(scope, contract.handoff.alertFacts, 'handoff.alertFacts', 'the alert');

  const required = contract.dataCompleteness.requiredProperties;
  checkHubSpotProperties(scope, required, 'dataCompleteness.requiredProperties', 'the data-completeness bar');
  required.forEach((name, i) => {
    if (!scope.known.hubspot.has(name)) return;
    const carried = contract.fieldMappings.some((m) => m.hubspot === name && syncDirections(m.rule).toSalesforce);
    if (!carried) {
      findings.error(`dataCompleteness.requiredProperties.${i}`, `unmapped property: "${name}" is required before handoff but no field mapping carries it to Salesforce, so the rep never sees it`);
    }
  });

  const { level, accountKeyProperty } = contract.handoff;
  if (level === 'account') {
    if (!accountKeyProperty) findings.error('handoff.accountKeyProperty', 'an account-level handoff needs the property that identifies the account');
    else {
      const problem = unreadable(scope, accountKeyProperty, 'hubspot', 'the account-level handoff');
      if (problem) findings.error('handoff.accountKeyProperty', problem);
    }
  }
}
