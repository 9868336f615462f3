/**
 * What routing needs from the contract and from a lead, and nothing more: the routing queue's updates
 * carry these instead of the whole contract, so the queue's history grows by a few hundred bytes per
 * lead. Pure (the workflow bundle and the activities both use it).
 */
import { evaluatePredicate, type Props, type Contract, type Rep } from '../contract';

/** A rep as routing sees them: who, how much, where, and when they are available. */
export type RoutingRep = Pick<Rep, 'id' | 'name' | 'weight' | 'territories' | 'timeZone' | 'workingHours' | 'holidays' | 'outOfOffice'>;

export interface RotationPolicy {
  policy: Contract['routing']['policy'];
  territoryProperty?: string;
  reps: RoutingRep[];
}

/** The lead's part of a routing question: the properties routing reads, and whether it is hot. */
export interface RoutingInputs {
  lead: Props;
  hot: boolean;
}

export function rotationPolicyOf(contract: Pick<Contract, 'routing'>): RotationPolicy {
  const { policy, territoryProperty, reps } = contract.routing;
  return {
    policy,
    ...(territoryProperty ? { territoryProperty } : {}),
    reps: reps.map(({ id, name, weight, territories, timeZone, workingHours, holidays, outOfOffice }) => ({
      id,
      name,
      timeZone,
      workingHours,
      ...(weight === undefined ? {} : { weight }),
      ...(territories ? { territories } : {}),
      ...(holidays ? { holidays } : {}),
      ...(outOfOffice ? { outOfOffice } : {}),
    })),
  };
}

/** A priority ("hot") lead: any one of the contract's `routing.priorityLeads` predicates holds. */
export function isPriorityLead(contract: Pick<Contract, 'routing'>, props: Props, now: Date): boolean {
  return (contract.routing.priorityLeads ?? []).some((p) => evaluatePredicate(p, props, now));
}

export function routingInputsOf(contract: Pick<Contract, 'routing'>, props: Props, now: Date): RoutingInputs {
  const property = contract.routing.territoryProperty;
  return {
    lead: property ? { [property]: props[property] ?? null } : {},
    hot: isPriorityLead(contract, props, now),
  };
}
