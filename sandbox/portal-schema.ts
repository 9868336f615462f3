/**
 * Configures a sandbox portal the way RevOps configures a real one for a contract: the custom lead
 * statuses and lifecycle stages it names, and the contact properties its predicates and stamps read.
 * Without this the sandbox (like HubSpot) refuses values and properties the portal does not define.
 */
import { ACTIVITY_SOURCES, type Predicate, type Contract } from '../mappings/contract';
import type { HubSpotStore } from './hubspot/contact-store';
import type { HubSpotPropertyDefinition, HubSpotPropertyType } from './hubspot/properties';

const TYPE_OF: Record<Contract['crm']['properties'][number]['type'], HubSpotPropertyType> = {
  string: 'string',
  number: 'number',
  date: 'datetime',
  bool: 'string',
  enum: 'string',
};

function predicateDefinitions(predicate: Predicate): HubSpotPropertyDefinition[] {
  if (predicate.op === 'activity') {
    const source = ACTIVITY_SOURCES[predicate.type];
    return [
      { name: source.lastAt, type: 'datetime' },
      ...(source.count ? [{ name: source.count, type: 'number' as const }] : []),
      ...(source.name ? [{ name: source.name, type: 'string' as const }] : []),
    ];
  }
  const numeric = ['gt', 'gte', 'lt', 'lte', 'between'].includes(predicate.op);
  return [{ name: predicate.property, type: predicate.op === 'within_days' ? 'datetime' : numeric ? 'number' : 'string' }];
}

function extendOptions(store: HubSpotStore, property: string, extra: string[]): void {
  const definition = store.properties.get(property);
  if (!definition?.options || extra.length === 0) return;
  store.properties.set(property, { ...definition, options: [...new Set([...definition.options, ...extra])] });
}

export function configureHubSpotPortalFor(store: HubSpotStore, contract: Contract): void {
  const { mql } = contract.definitions;
  const wanted = [
    ...[...mql.fit, ...mql.engagement, ...contract.connector.inclusion].flatMap(predicateDefinitions),
    ...contract.crm.properties.filter((p) => p.system === 'hubspot').map((p) => ({ name: p.name, type: TYPE_OF[p.type] })),
    ...contract.dataCompleteness.requiredProperties.map((name) => ({ name, type: 'string' as const })),
    ...contract.handoff.alertFacts.map((name) => ({ name, type: 'string' as const })),
  ];
  for (const definition of wanted) {
    if (!store.properties.has(definition.name)) store.properties.set(definition.name, definition);
  }
  extendOptions(store, 'hs_lead_status', contract.crm.leadStatuses);
  extendOptions(store, 'lifecyclestage', contract.crm.lifecycleStages.map((s) => s.id));
}
