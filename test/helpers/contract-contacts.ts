/**
 * Record values derived from a contract's own predicates: a contact that meets any preset's MQL
 * definition and completeness bar, the one change that fails it, and Salesforce fields that meet its
 * SQL definition. Derived rather than hand-written, so a new preset is covered without a fixture.
 */
import { ACTIVITY_SOURCES } from '../../mappings/contract';
import type { Predicate } from '../../mappings/contract';
import type { Contract } from '../../mappings/contract';
import { mqlContactProperties } from '../../sandbox/prepare-portal';

type Values = Record<string, string>;

/** Values that make `p` hold at `now` on top of `base`, or undefined when no value can. */
export function valuesMeeting(p: Predicate, base: Values, now: Date): Values | undefined {
  if (p.op === 'activity') {
    const source = ACTIVITY_SOURCES[p.type];
    if ((p.named !== undefined && !source.name) || (p.atLeast !== undefined && !source.count)) return undefined;
    return {
      [source.lastAt]: now.toISOString(),
      ...(p.named !== undefined && source.name ? { [source.name]: p.named } : {}),
      ...(p.atLeast !== undefined && source.count ? { [source.count]: String(p.atLeast) } : {}),
    };
  }
  const set = (value: string | number | boolean | undefined): Values | undefined => (value === undefined ? undefined : { [p.property]: String(value) });
  switch (p.op) {
    case 'eq':
      return set(p.value);
    case 'neq':
      return set(`not ${String(p.value)}`);
    case 'in':
      return set(p.values[0]);
    case 'not_in':
      return set(`none of ${p.values.join(' ')}`);
    case 'gt':
      return set(p.value + 1);
    case 'gte':
    case 'lte':
      return set(p.value);
    case 'lt':
      return set(p.value - 1);
    case 'between':
      return set(p.min);
    case 'present':
      return set(base[p.property] || 'confirmed');
    case 'absent':
      return set('');
    case 'within_days':
      return set(now.toISOString());
  }
}

function meetAll(predicates: readonly Predicate[], base: Values, now: Date, what: string): Values {
  const values: Values = {};
  for (const p of predicates) {
    const met = valuesMeeting(p, { ...base, ...values }, now);
    if (!met) throw new Error(`${what}: no value meets ${JSON.stringify(p)}`);
    Object.assign(values, met);
  }
  return values;
}

/** HubSpot properties of a contact meeting the contract's MQL definition (all fit, first engagement) and completeness bar at `now`. */
export function mqlPropertiesFor(contract: Contract, now: Date, overrides: Values = {}): Values {
  const { fit, engagement } = contract.definitions.mql;
  const props: Values = { ...mqlContactProperties(), lifecyclestage: contract.statusMapping.MQL.hubspotLifecycle };
  Object.assign(props, meetAll(fit, props, now, 'MQL fit'));
  const engaged = engagement.map((p) => valuesMeeting(p, props, now)).find((v) => v !== undefined);
  if (engagement.length && !engaged) throw new Error('MQL engagement: no criterion can be met by setting values');
  Object.assign(props, engaged);
  for (const name of contract.dataCompleteness.requiredProperties) props[name] ||= `${name} value`;
  return { ...props, ...overrides };
}

function mqlProperties(contract: Contract): Set<string> {
  const { fit, engagement } = contract.definitions.mql;
  return new Set([...fit, ...engagement].flatMap((p) => (p.op === 'activity' ? [] : [p.property])));
}

/** The override that fails the MQL definition: the first fit property blank (a blank never qualifies). */
export function failingMql(contract: Contract): Values {
  const first = contract.definitions.mql.fit.find((p) => p.op !== 'activity' && p.op !== 'absent');
  if (!first || first.op === 'activity') throw new Error('the MQL fit has no property a blank fails');
  return { [first.property]: '' };
}

/** A required property the MQL definition does not read: blank, the contact still qualifies but is incomplete. */
export function incompleteProperty(contract: Contract): string | undefined {
  const read = mqlProperties(contract);
  return contract.dataCompleteness.requiredProperties.filter((p) => !read.has(p)).at(-1);
}

/** Salesforce lead fields meeting the contract's SQL definition (every signal). */
export function sqlFieldsFor(contract: Contract, now: Date): Values {
  return meetAll(contract.definitions.sql.signals, {}, now, 'SQL signals');
}
