/** Commitments in words: their target with its unit, and how the measure is taken. */
import type { Commitment, Contract, EventRef } from '../contract';

const SYSTEM_NAME: Record<EventRef['system'], string> = { hubspot: 'HubSpot', salesforce: 'Salesforce', bridge: 'bridge stamp' };

export function describeEventRef(ref: EventRef): string {
  return `${SYSTEM_NAME[ref.system]} \`${ref.field}\``;
}

export function describeTarget(target: Commitment['target']): string {
  const v = target.value;
  switch (target.unit) {
    case 'leads_per_month':
      return `${v} leads / month`;
    case 'percent':
      return `${v}%`;
    case 'business_minutes':
      return `${v} business minutes`;
    case 'minutes':
      return `${v} minutes`;
    case 'hours':
      return `${v} hours`;
    case 'attempts':
      return `${v} attempts`;
  }
}

export function describeMeasure(c: Commitment, contract: Contract): string {
  const m = c.measure;
  switch (m.kind) {
    case 'count':
      return `monthly count of ${describeEventRef(m.start)}`;
    case 'ratio':
      return `leads with ${describeEventRef(m.stop)} ÷ leads with ${describeEventRef(m.start)}`;
    case 'duration':
      return `${m.statistic === 'attainment' ? 'share of leads within target' : m.statistic} of ${m.clock} time from ${describeEventRef(m.start)} to ${describeEventRef(m.stop)}`;
    case 'attempts': {
      const a = contract.contactAttempts;
      return `attempts logged at ${describeEventRef(m.stop)} within ${a.windowBusinessDays} business days of ${describeEventRef(m.start)}, across ${a.channels.join(', ')}`;
    }
    case 'completeness':
      return `share of leads with all ${contract.dataCompleteness.requiredProperties.length} required fields filled at ${describeEventRef(m.start)}`;
    case 'presence':
      return `share of leads from ${describeEventRef(m.start)} with ${describeEventRef(m.stop)} filled`;
  }
}
