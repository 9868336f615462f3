/**
 * Evaluates the contract's predicates against a CRM record: string values, `null` when blank, as both
 * CRMs' APIs return them. Pure and clock-free (`now` is passed in): the workflow calls it directly.
 *
 * A blank property fails every predicate except `absent`: missing data never counts as qualifying.
 */
import { ACTIVITY_SOURCES } from './activity-types';
import { describePredicate } from './describe-predicate';
import type { Predicate } from './predicate-schema';
import type { Definitions } from './schema';

export type Props = Record<string, string | null | undefined>;
export type Definition = Definitions['mql'] | Definitions['sal'] | Definitions['sql'];

const DAY_MS = 86_400_000;

function blank(value: string | null | undefined): value is null | undefined | '' {
  return value === null || value === undefined || value.trim() === '';
}

function asNumber(value: string): number | undefined {
  const n = Number(value.trim());
  return Number.isFinite(n) ? n : undefined;
}

/** HubSpot writes instants as ISO strings or epoch milliseconds; dates as YYYY-MM-DD. */
export function parseInstant(value: string): number | undefined {
  const trimmed = value.trim();
  if (/^\d{12,}$/.test(trimmed)) return Number(trimmed);
  const ms = Date.parse(trimmed);
  return Number.isNaN(ms) ? undefined : ms;
}

function equals(actual: string, expected: string | number | boolean): boolean {
  if (typeof expected === 'number') return asNumber(actual) === expected;
  if (typeof expected === 'boolean') return actual.trim().toLowerCase() === String(expected);
  return actual === expected;
}

function within(value: string | null | undefined, days: number, now: Date): boolean {
  if (blank(value)) return false;
  const at = parseInstant(value);
  return at !== undefined && at >= now.getTime() - days * DAY_MS;
}

function compare(actual: string, test: (n: number) => boolean): boolean {
  const n = asNumber(actual);
  return n !== undefined && test(n);
}

export function evaluatePredicate(p: Predicate, props: Props, now: Date): boolean {
  if (p.op === 'activity') {
    const source = ACTIVITY_SOURCES[p.type];
    if (!within(props[source.lastAt], p.days, now)) return false;
    if (p.named !== undefined && (source.name === undefined || props[source.name] !== p.named)) return false;
    if (p.atLeast !== undefined) {
      const count = source.count === undefined ? undefined : props[source.count];
      if (blank(count) || !compare(count, (n) => n >= (p.atLeast ?? 0))) return false;
    }
    return true;
  }
  const value = props[p.property];
  if (p.op === 'absent') return blank(value);
  if (blank(value)) return false;
  switch (p.op) {
    case 'present':
      return true;
    case 'eq':
      return equals(value, p.value);
    case 'neq':
      return !equals(value, p.value);
    case 'in':
      return p.values.some((v) => equals(value, v));
    case 'not_in':
      return !p.values.some((v) => equals(value, v));
    case 'gt':
      return compare(value, (n) => n > p.value);
    case 'gte':
      return compare(value, (n) => n >= p.value);
    case 'lt':
      return compare(value, (n) => n < p.value);
    case 'lte':
      return compare(value, (n) => n <= p.value);
    case 'between':
      return compare(value, (n) => n >= p.min && n <= p.max);
    case 'within_days':
      return within(value, p.days, now);
  }
}

function failing(list: readonly Predicate[], props: Props, now: Date): Predicate[] {
  return list.filter((p) => !evaluatePredicate(p, props, now));
}

/**
 * Whether a definition holds, and in words what does not. MQL: every fit predicate AND at least one
 * engagement predicate. SAL: every confirmedBy predicate. SQL: every signal.
 */
export function evaluateDefinition(def: Definition, props: Props, now: Date): { met: boolean; unmet: string[] } {
  const unmet: string[] = [];
  if ('fit' in def) {
    unmet.push(...failing(def.fit, props, now).map((p) => `fit: ${describePredicate(p)}`));
    const engagementFailures = failing(def.engagement, props, now);
    if (engagementFailures.length === def.engagement.length) {
      unmet.push(`engagement: none of ${def.engagement.map(describePredicate).join('; ')}`);
    }
  } else if ('confirmedBy' in def) {
    unmet.push(...failing(def.confirmedBy, props, now).map((p) => `acceptance: ${describePredicate(p)}`));
  } else {
    unmet.push(...failing(def.signals, props, now).map((p) => `signal: ${describePredicate(p)}`));
  }
  return { met: unmet.length === 0, unmet };
}

/** The required properties that are blank on the record, in the contract's order. */
export function missingRequired(requiredProperties: readonly string[], props: Props): string[] {
  return requiredProperties.filter((name) => blank(props[name]));
}
