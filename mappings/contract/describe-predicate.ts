/**
 * Predicates in words: for the "unmet" list the workflow records, the SLA document's criteria column
 * and the check's findings. The words are derived from the predicate, never written by hand.
 */
import { ACTIVITY_SOURCES } from './activity-types';
import type { Predicate } from './predicate-schema';

function quote(value: string | number | boolean): string {
  return typeof value === 'string' ? `"${value}"` : String(value);
}

function describeCriterion(p: Predicate): string {
  switch (p.op) {
    case 'eq':
      return `${p.property} = ${quote(p.value)}`;
    case 'neq':
      return `${p.property} ≠ ${quote(p.value)}`;
    case 'in':
      return `${p.property} is one of ${p.values.map(quote).join(', ')}`;
    case 'not_in':
      return `${p.property} is none of ${p.values.map(quote).join(', ')}`;
    case 'gt':
      return `${p.property} > ${p.value}`;
    case 'gte':
      return `${p.property} ≥ ${p.value}`;
    case 'lt':
      return `${p.property} < ${p.value}`;
    case 'lte':
      return `${p.property} ≤ ${p.value}`;
    case 'between':
      return `${p.property} between ${p.min} and ${p.max}`;
    case 'present':
      return `${p.property} is filled`;
    case 'absent':
      return `${p.property} is empty`;
    case 'within_days':
      return `${p.property} within the last ${p.days} days`;
    case 'activity': {
      const noun = ACTIVITY_SOURCES[p.type].noun;
      const named = p.named ? ` "${p.named}"` : '';
      const count = p.atLeast ? `at least ${p.atLeast} × ` : '';
      return `${count}${noun}${named} within the last ${p.days} days`;
    }
  }
}

export function describePredicate(p: Predicate): string {
  return p.label ? `${p.label}: ${describeCriterion(p)}` : describeCriterion(p);
}
