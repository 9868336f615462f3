/**
 * The lead lifecycle as a state machine derived from the contract. The workflow executes it, the
 * diagrams draw it and the document describes it: nothing else in the product decides a transition.
 * Stage names double as the LeadStage search-attribute values.
 */
import type { Contract, StatusTarget } from './schema';
import { largestRoutingPool, type Covered } from './coverage';
import { STAGES, type Stage } from './stages';

export { STAGES, type Stage };

export const LEAD_EVENTS = [
  'mql_confirmed',
  'data_incomplete',
  'not_qualified',
  'assigned',
  'reassigned',
  'reassign_limit_reached',
  'accepted',
  'rejected_recyclable',
  'rejected_final',
  'qualified',
  'converted',
  'won',
  'requalified',
] as const;
export type LeadEvent = (typeof LEAD_EVENTS)[number];

export interface Transition {
  from: Stage;
  event: LeadEvent;
  to: Stage;
  /** What happens, in the contract's own numbers: the diagrams and the document show it. */
  label: string;
}

export interface StateMachine {
  stages: readonly Stage[];
  initial: 'New';
  /** Stages a handoff ends in (until a requalification starts a new one). */
  terminal: readonly Stage[];
  transitions: Transition[];
  next(from: Stage, event: LeadEvent): Stage;
}

export class IllegalTransitionError extends Error {
  override readonly name = 'IllegalTransitionError';
  constructor(
    readonly from: Stage,
    readonly event: LeadEvent,
    allowed: readonly LeadEvent[],
  ) {
    super(`event "${event}" is not allowed in stage ${from} (allowed: ${allowed.join(', ') || 'none'})`);
  }
}

/** What the state machine reads of a contract (a handoff holds only part of one: mappings/handoff-contract.ts). */
export type MachineContract = Pick<Contract, 'handoff' | 'dataCompleteness' | 'rejectionTaxonomy' | 'definitions'> & Covered;

function codes(contract: MachineContract, recyclable: boolean): string[] {
  return contract.rejectionTaxonomy.filter((r) => r.recyclable === recyclable).map((r) => r.code);
}

/**
 * How many windows a lead can miss before it reverts: one per reassignment allowed plus the first, but
 * never more than the reps one lead can be routed among (a rep who missed is not asked again).
 */
export function missesBeforeRevert(contract: MachineContract): number {
  return Math.max(1, Math.min(contract.handoff.reassignLimit + 1, largestRoutingPool(contract)));
}

function transitionsFor(contract: MachineContract): Transition[] {
  const { handoff, routing } = contract;
  const window = `${handoff.acceptanceWindowBusinessMinutes} business min`;
  const channels = [...new Set(handoff.alerts.filter((a) => a.kinds.includes('alert')).map((a) => a.channel))].join(' and ');
  const required = contract.dataCompleteness.requiredProperties.length;
  const recyclable = codes(contract, true);
  const final = codes(contract, false);
  const t = (from: Stage, event: LeadEvent, to: Stage, label: string): Transition => ({ from, event, to, label });
  const list: Transition[] = [
    t('New', 'mql_confirmed', 'MQL', 'fit and engagement met'),
    t('New', 'data_incomplete', 'ReturnedToMarketing', `missing some of ${required} required fields`),
    t('New', 'not_qualified', 'Nurture', 'MQL definition not met'),
    t('MQL', 'assigned', 'AwaitingAcceptance', `routed (${routing.policy.replace('_', ' ')}), alert by ${channels}`),
  ];
  const misses = missesBeforeRevert(contract);
  if (misses > 1) {
    list.push(t('AwaitingAcceptance', 'reassigned', 'AwaitingAcceptance', `no acceptance in ${window}, reassign up to ${misses - 1}x`));
  }
  list.push(
    t('AwaitingAcceptance', 'reassign_limit_reached', 'Nurture', `window missed ${misses > 1 ? `up to ${misses}x (once per rep covering the lead)` : 'once'}, revert to nurture`),
    t('AwaitingAcceptance', 'accepted', 'SAL', `accepted within ${window}`),
  );
  for (const from of ['AwaitingAcceptance', 'SAL'] as const) {
    if (recyclable.length) list.push(t(from, 'rejected_recyclable', 'Nurture', `rejected, recycle - ${recyclable.join(', ')}`));
    if (final.length) list.push(t(from, 'rejected_final', 'Disqualified', `rejected, final - ${final.join(', ')}`));
  }
  list.push(
    t('SAL', 'qualified', 'SQL', `SQL signals confirmed (${contract.definitions.sql.signals.length})`),
    t('SAL', 'converted', 'Opportunity', 'converted in Salesforce'),
    t('SQL', 'converted', 'Opportunity', 'converted in Salesforce'),
    t('Opportunity', 'won', 'Customer', 'opportunity closed won'),
    // A lead that meets MQL again from Nurture starts a new episode (a new handoff run from New):
    // only a lead returned for incomplete data is requalified within its own run.
    t('ReturnedToMarketing', 'requalified', 'MQL', 'data completed, meets MQL'),
  );
  return list;
}

export function buildStateMachine(contract: MachineContract): StateMachine {
  const transitions = transitionsFor(contract);
  return {
    stages: STAGES,
    initial: 'New',
    terminal: ['Customer', 'Disqualified'],
    transitions,
    next(from, event) {
      const found = transitions.find((tr) => tr.from === from && tr.event === event);
      if (!found) throw new IllegalTransitionError(from, event, transitions.filter((tr) => tr.from === from).map((tr) => tr.event));
      return found.to;
    },
  };
}

/** How a stage reads in each system, from the contract's status mapping. */
export function statusFor(contract: Pick<Contract, 'statusMapping'>, stage: Stage): StatusTarget {
  return contract.statusMapping[stage];
}
