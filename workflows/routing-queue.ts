/**
 * routingQueue: the durable home of one portal's rotation state. Handoffs (through their assignLead
 * activities, which batch the questions of many leads) ask it for reps through one update per batch;
 * updates are processed one at a time and the requests of a batch in order, hot leads first, so two
 * leads never race for the same turn. Every request id is answered once: a retried request (same id,
 * in this batch or a later one) gets its first answer back without taking a turn.
 *
 * Priority leads take turns on a rotation of their own: a hot lead jumps the queue without shifting
 * the normal leads' rotation (the reps share the hot leads evenly among themselves too).
 */
import { defineQuery, defineUpdate, setHandler, workflowInfo } from '@temporalio/workflow';
import type { RoutingLoad } from '../mappings/routing';
import { chooseRep, initialRotation, type RotationState } from '../mappings/routing';
import {
  ASSIGN_REPS_UPDATE,
  RECENT_ASSIGNMENTS_QUERY,
  RELEASE_SLOT_SIGNAL,
  ROUTING_LOAD_QUERY,
  type AnsweredRequest,
  type AssignRepsRequest,
  type RepChoice,
  type RoutingQueueInput,
} from '../api/routing';
import { releaseSlotProblem } from '../api/signal-payloads';
import { ignoredAsMalformed } from './malformed-signal';
import { releaseSlotSignal } from './routing-signals';
import { createSlotBook, type Choose } from './routing-slots';
import { trackPool } from './routing-pool';
import { rollOver, rollOverPoint } from './entity-rollover';
import { createAnswerLog } from './routing-answers';
import { createRunBudget, fitAnswer } from './routing-budget';
import { DEFAULT_HISTORY_BUDGET, jsonBytes } from '../mappings/routing';

export const assignRepsUpdate = defineUpdate<RepChoice[], [AssignRepsRequest]>(ASSIGN_REPS_UPDATE);
export const recentAssignmentsQuery = defineQuery<AnsweredRequest[]>(RECENT_ASSIGNMENTS_QUERY);
export const routingLoadQuery = defineQuery<RoutingLoad>(ROUTING_LOAD_QUERY);

/**
 * The run's history stays under its budget (DEFAULT_HISTORY_BUDGET, 896 KB, or the input's): the
 * queue counts what each update adds and refuses one that could pass it (routing-budget.ts); an
 * update adds ≈ 200 bytes per request plus ≈ 1 KB of policy.
 */
export const HISTORY_BYTES_PER_RUN = DEFAULT_HISTORY_BUDGET.runBytes;

export async function routingQueue(input: RoutingQueueInput): Promise<never> {
  const lanes = {
    normal: (input.rotation as RotationState | undefined) ?? initialRotation(),
    hot: (input.hotRotation as RotationState | undefined) ?? initialRotation(),
  };
  let assignments = input.assignments ?? 0;
  const answered = createAnswerLog(input.answered);

  /** A turn of the rotation, with the capacity book's caps applied. */
  const choose: Choose = (request, policy, blocked) => {
    const lane = request.hot ? 'hot' : 'normal';
    const result = chooseRep({ contract: { routing: policy }, rotation: lanes[lane], lead: request.lead, now: new Date(request.now), exclude: request.exclude, blocked });
    if (!result.rep) return { rep: null, reason: result.reason };
    lanes[lane] = result.rotation;
    assignments += 1;
    return { rep: { id: result.rep.id, name: result.rep.name }, turn: assignments };
  };
  const slots = createSlotBook(input, choose);
  const pool = trackPool(input.pool);

  const answer = (request: AssignRepsRequest['requests'][number], policy: AssignRepsRequest['policy']): RepChoice => {
    const known = answered.get(request.requestId);
    if (known) return known.choice;
    const choice = fitAnswer(slots.answer(request, policy));
    answered.add({ requestId: request.requestId, hot: request.hot, choice });
    return choice;
  };

  /** What the run carries into the next: the newest answers within a sixth of the run's budget. */
  const carry = (answers: AnsweredRequest[]): RoutingQueueInput => ({
    portalId: input.portalId,
    rotation: lanes.normal,
    hotRotation: lanes.hot,
    assignments,
    answered: answers,
    ...slots.carry(),
    ...pool.carry(),
    ...(input.historyBudget ? { historyBudget: input.historyBudget } : {}),
  });
  const carriedAnswers = () => answered.carried((input.historyBudget ?? DEFAULT_HISTORY_BUDGET).runBytes / 6);
  /** carry()'s JSON size: the rest serialized with no answers (`[]`), the answers from their measured sizes. */
  const carryBytes = (): number => jsonBytes(carry([])) + carriedAnswers().bytes;
  const budget = createRunBudget(input.historyBudget, carryBytes);

  setHandler(
    assignRepsUpdate,
    (update) => {
      const { policy, requests } = update;
      const choices = new Map<string, RepChoice>();
      for (const request of [...requests.filter((r) => r.hot), ...requests.filter((r) => !r.hot)]) choices.set(request.requestId, answer(request, policy));
      const answers = requests.map((r) => choices.get(r.requestId) ?? { rep: null, reason: `request ${r.requestId} was not answered` });
      budget.record(update, answers);
      return answers;
    },
    { validator: (update: AssignRepsRequest) => budget.validate(update) },
  );
  setHandler(recentAssignmentsQuery, () => answered.all());
  setHandler(releaseSlotSignal, (release) => {
    if (!ignoredAsMalformed(RELEASE_SLOT_SIGNAL, releaseSlotProblem(release))) slots.release(release);
  });
  setHandler(routingLoadQuery, () => slots.loads());

  await rollOverPoint(() => workflowInfo().continueAsNewSuggested || budget.full());
  return rollOver<typeof routingQueue>()(carry(carriedAnswers().answers));
}
