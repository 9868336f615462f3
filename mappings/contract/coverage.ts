/**
 * Territory coverage: which reps a lead can ever be routed to. A fact of the contract's routing (who
 * covers which territory), read by the rotation (mappings/routing), by the state machine (how often a
 * missed window can really be reassigned) and by a handoff, which holds only each rep's id and
 * territories (mappings/contract/handoff-contract.ts). Pure.
 */
import type { Props } from './predicates';
import type { Contract } from './schema';

/** The territory every rep marked `*` covers: leads whose territory no one else covers. */
export const CATCH_ALL_TERRITORY = '*';

/** What coverage reads of a rep. */
export type CoveringRep = { id: string; territories?: string[] };

/** What coverage reads of a routing policy, whatever else its reps carry. */
export type Covered<R extends CoveringRep = CoveringRep> = {
  routing: { policy: Contract['routing']['policy']; territoryProperty?: string; reps: readonly R[] };
};

/** The reps of the lead's territory (else the catch-all's), or why there are none. */
export function territoryCandidates<R extends CoveringRep>(contract: Covered<R>, lead: Props): { key: string; reps: R[] } | { reason: string } {
  const property = contract.routing.territoryProperty;
  if (!property) return { reason: 'routing policy is territory but the contract names no territoryProperty' };
  const value = lead[property]?.trim().toLowerCase();
  const covers = (rep: R, territory: string) => (rep.territories ?? []).some((t) => t.trim().toLowerCase() === territory);
  const exact = value ? contract.routing.reps.filter((r) => covers(r, value)) : [];
  if (value && exact.length) return { key: value, reps: exact };
  const catchAll = contract.routing.reps.filter((r) => covers(r, CATCH_ALL_TERRITORY));
  if (catchAll.length) return { key: CATCH_ALL_TERRITORY, reps: catchAll };
  return { reason: value ? `no rep covers territory "${value}" (${property})` : `the lead has no ${property} and no rep covers "*"` };
}

/** The reps routing may ever give the lead to: its territory's (else the catch-all's), or every rep. */
export function repsCovering<R extends CoveringRep>(contract: Covered<R>, lead: Props): readonly R[] {
  if (contract.routing.policy !== 'territory') return contract.routing.reps;
  const found = territoryCandidates(contract, lead);
  return 'reason' in found ? [] : found.reps;
}

/**
 * Whether every rep who may take the lead has already let its window lapse: a reassignment would wait
 * for a rep forever (a territory with fewer reps than the reassignment limit), so the limit is reached.
 */
export function everyCoveringRepMissed(contract: Covered, lead: Props, missedBy: readonly string[]): boolean {
  const reps = repsCovering(contract, lead);
  return reps.length > 0 && reps.every((rep) => missedBy.includes(rep.id));
}

/** The most reps any one lead can be routed among: the largest territory pool, or every rep. */
export function largestRoutingPool(contract: Covered): number {
  if (contract.routing.policy !== 'territory') return contract.routing.reps.length;
  const territories = new Set(contract.routing.reps.flatMap((rep) => rep.territories ?? []).map((t) => t.trim().toLowerCase()));
  return Math.max(0, ...[...territories].map((territory) => repsCovering(contract, { [contract.routing.territoryProperty ?? '']: territory }).length));
}
