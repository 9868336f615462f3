/**
 * Every HubSpot property a handoff reads: what the contract's definitions, completeness bar, alert
 * facts and field mappings name, plus the properties the bridge itself relies on.
 */
import { ACTIVITY_SOURCES, type Predicate, type Contract } from '../../mappings/contract';
import { HUBSPOT_PROPERTIES } from '../../mappings/crm';

export function predicateProperties(predicate: Predicate): string[] {
  if (predicate.op !== 'activity') return [predicate.property];
  const source = ACTIVITY_SOURCES[predicate.type];
  return [source.lastAt, source.count, source.name].filter((p): p is string => p !== undefined);
}

const cache = new WeakMap<Contract, string[]>();

export function contractProperties(contract: Contract): string[] {
  const cached = cache.get(contract);
  if (cached) return cached;
  const { mql } = contract.definitions;
  const names = new Set<string>([
    ...Object.values(HUBSPOT_PROPERTIES),
    ...[...mql.fit, ...mql.engagement].flatMap(predicateProperties),
    ...(contract.routing.priorityLeads ?? []).flatMap(predicateProperties),
    ...contract.dataCompleteness.requiredProperties,
    ...contract.handoff.alertFacts,
    ...contract.fieldMappings.map((m) => m.hubspot),
    ...(contract.routing.territoryProperty ? [contract.routing.territoryProperty] : []),
    ...(contract.handoff.accountKeyProperty ? [contract.handoff.accountKeyProperty] : []),
  ]);
  const list = [...names].sort();
  cache.set(contract, list);
  return list;
}
