/**
 * routingQueue: the durable home of one portal's rotation state. Handoffs ask it for a rep through an
 * update (deduplicated by update id, so a retried request never advances the rotation twice); updates
 * are processed one at a time, so two leads never race for the same turn.
 */
import { allHandlersFinished, condition, continueAsNew, defineUpdate, setHandler, workflowInfo } from '@temporalio/workflow';
import { chooseRep, initialRotation, type RotationState } from '../mappings/routing';
import { ASSIGN_REP_UPDATE, type AssignRepRequest, type RepChoice, type RoutingQueueInput } from './routing-api';

export const assignRepUpdate = defineUpdate<RepChoice, [AssignRepRequest]>(ASSIGN_REP_UPDATE);

/** Each update carries the contract, so the history is rolled over well before it grows large. */
const ASSIGNMENTS_PER_RUN = 200;

export async function routingQueue(input: RoutingQueueInput): Promise<never> {
  let rotation = (input.rotation as RotationState | undefined) ?? initialRotation();
  let assignments = input.assignments ?? 0;
  const rollOverAt = assignments + ASSIGNMENTS_PER_RUN;

  setHandler(assignRepUpdate, (request) => {
    const result = chooseRep({
      contract: request.contract,
      rotation,
      lead: request.lead,
      now: new Date(request.now),
      exclude: request.exclude,
    });
    if (!result.rep) return { rep: null, reason: result.reason };
    rotation = result.rotation;
    assignments += 1;
    return { rep: { id: result.rep.id, name: result.rep.name } };
  });

  await condition(() => workflowInfo().continueAsNewSuggested || assignments >= rollOverAt);
  await condition(allHandlersFinished);
  return continueAsNew<typeof routingQueue>({ portalId: input.portalId, rotation, assignments });
}
