/**
 * What happens to each simulated lead, decided up front from a seed: which reps accept (in Salesforce
 * or through the signed link), which reject and why, which alerts go unanswered, and which leads
 * arrive with incomplete data. Every outcome class appears once the run has enough leads, and the
 * slow classes (a missed window lasts the whole window) come early so the run ends sooner.
 */
import type { Contract } from '../../mappings/contract';
import { seededRandom } from '../../sandbox/random';

export const OUTCOME_CLASSES = [
  'ignored_reverted',
  'reassigned_then_accepted',
  'accepted_in_salesforce',
  'accepted_by_link',
  'rejected_to_nurture',
  'rejected_disqualified',
  'returned_incomplete',
] as const;
export type OutcomeClass = (typeof OUTCOME_CLASSES)[number];

/** What each class looks like once reached, in the handoff's search attributes. */
export const OUTCOME_DESCRIPTIONS: Record<OutcomeClass, string> = {
  ignored_reverted: 'no rep answered: reminder, breach, reassignments, reverted to nurture',
  reassigned_then_accepted: 'first rep ignored it: breach, reassigned, accepted by the next rep',
  accepted_in_salesforce: 'accepted by the rep in Salesforce (status change seen by the watcher)',
  accepted_by_link: "accepted through the signed link in the rep's alert",
  rejected_to_nurture: 'rejected with a recyclable reason: back to HubSpot nurture',
  rejected_disqualified: 'rejected in Salesforce with a final reason: disqualified',
  returned_incomplete: 'required data missing: returned to marketing before any handoff',
};

/** Share of each class beyond the first of each; accepted leads dominate, as in a healthy funnel. */
const WEIGHTS: Record<OutcomeClass, number> = {
  ignored_reverted: 1,
  reassigned_then_accepted: 1,
  accepted_in_salesforce: 4,
  accepted_by_link: 4,
  rejected_to_nurture: 2,
  rejected_disqualified: 1,
  returned_incomplete: 1,
};

const SLOW: ReadonlySet<OutcomeClass> = new Set(['ignored_reverted', 'reassigned_then_accepted']);

export interface PlannedLead {
  index: number;
  outcome: OutcomeClass;
  /** A taxonomy code, for the rejecting classes. */
  rejectionReason?: string;
  /** Contact attempts the accepting rep logs (the contract asks for `contactAttempts.attempts`). */
  attempts: number;
}

/** Classes the contract can produce: a reassignment needs a reassign limit and a second rep. */
export function possibleClasses(contract: Contract): OutcomeClass[] {
  const canReassign = contract.handoff.reassignLimit >= 1 && contract.routing.reps.length >= 2;
  const recyclable = contract.rejectionTaxonomy.some((r) => r.recyclable);
  const final = contract.rejectionTaxonomy.some((r) => !r.recyclable);
  return OUTCOME_CLASSES.filter(
    (c) => (c !== 'reassigned_then_accepted' || canReassign) && (c !== 'rejected_to_nurture' || recyclable) && (c !== 'rejected_disqualified' || final),
  );
}

export function planLeads(contract: Contract, options: { leads: number; seed: number }): PlannedLead[] {
  const random = seededRandom(options.seed);
  const classes = possibleClasses(contract);
  const pool = classes.flatMap((c) => Array.from({ length: WEIGHTS[c] }, () => c));
  const outcomes: OutcomeClass[] = classes.slice(0, options.leads);
  while (outcomes.length < options.leads) {
    const pick = random.pick(pool);
    // The last third carries no slow class: the run would otherwise wait a whole window for one lead.
    outcomes.push(SLOW.has(pick) && outcomes.length >= (options.leads * 2) / 3 ? 'accepted_by_link' : pick);
  }
  const recyclable = contract.rejectionTaxonomy.filter((r) => r.recyclable).map((r) => r.code);
  const final = contract.rejectionTaxonomy.filter((r) => !r.recyclable).map((r) => r.code);
  const required = contract.contactAttempts.attempts;
  return outcomes.map((outcome, index) => ({
    index,
    outcome,
    ...(outcome === 'rejected_to_nurture' ? { rejectionReason: random.pick(recyclable) } : {}),
    ...(outcome === 'rejected_disqualified' ? { rejectionReason: random.pick(final) } : {}),
    // Most reps follow up fully; some stop after two calls, which the report shows as missed.
    attempts: random.int(0, 3) === 0 ? 2 : required,
  }));
}
