/**
 * What routing needs from the contract and from a lead, and nothing more: the routing queue's updates
 * carry these instead of the whole contract, so the queue's history grows by a few hundred bytes per
 * lead. Pure (the workflow bundle and the activities both use it).
 */
import { evaluatePredicate, type Capacity, type Props, type Contract, type Rep } from '../contract';

/** A rep as routing sees them: who, how much, where, and when they are available. */
export type RoutingRep = Pick<Rep, 'id' | 'name' | 'weight' | 'territories' | 'timeZone' | 'workingHours' | 'holidays' | 'outOfOffice' | 'capacity'>;

export interface RotationPolicy {
  policy: Contract['routing']['policy'];
  territoryProperty?: string;
  reps: RoutingRep[];
  /** The pool's default caps (a rep's own caps win). */
  capacity?: Capacity;
}

/** The lead's part of a routing question: the properties routing reads, and whether it is hot. */
export interface RoutingInputs {
  lead: Props;
  hot: boolean;
}

export function rotationPolicyOf(contract: Pick<Contract, 'routing'>): RotationPolicy {
  const { policy, territoryProperty, reps, capacity } = contract.routing;
  return {
    policy,
    ...(territoryProperty ? { territoryProperty } : {}),
    ...(capacity ? { capacity } : {}),
    reps: reps.map(({ id, name, weight, territories, timeZone, workingHours, holidays, outOfOffice, capacity: caps }) => ({
      id,
      name,
      timeZone,
      workingHours,
      ...(weight === undefined ? {} : { weight }),
      ...(territories ? { territories } : {}),
      ...(holidays ? { holidays } : {}),
      ...(outOfOffice ? { outOfOffice } : {}),
      ...(caps ? { capacity: caps } : {}),
    })),
  };
}

/** What a lead's routing inputs read of a contract (no reps: a handoff's workflow holds none). */
export type RoutingReads = { routing: Pick<Contract['routing'], 'priorityLeads' | 'territoryProperty'> };

/** A priority ("hot") lead: any one of the contract's `routing.priorityLeads` predicates holds. */
export function isPriorityLead(contract: RoutingReads, props: Props, now: Date): boolean {
  return (contract.routing.priorityLeads ?? []).some((p) => evaluatePredicate(p, props, now));
}

export function routingInputsOf(contract: RoutingReads, props: Props, now: Date): RoutingInputs {
  const property = contract.routing.territoryProperty;
  return {
    lead: property ? { [property]: props[property] ?? null } : {},
    hot: isPriorityLead(contract, props, now),
  };
}
