/**
 * The routing queue's count of its own run's history, so that a run never passes its budget
 * (mappings/routing/history-budget.ts) however many updates one workflow task carries. Under a burst
 * one task can take many updates, and the history size the server reports is known only at a task's
 * start: so the queue counts, from the requests themselves, what every update it accepted since adds,
 * and refuses (in the update's validator: a refused update leaves no event in history) one that could
 * take the run past its budget. The run rolls over once it could no longer take the largest update,
 * which is why a refusal only ever meets a run that is ending: the caller sends again and reaches the
 * next run.
 *
 * Deterministic: the count moves only in the update handler (replayed with every accepted update) and
 * with the history size at the task's start (recorded in history); the validator only reads it.
 */
import { ApplicationFailure, workflowInfo } from '@temporalio/workflow';
import { ANSWER_BYTES_MAX, DEFAULT_HISTORY_BUDGET, jsonBytes, RUN_RESERVE_BYTES, UPDATE_EVENT_BYTES, updateBytesBound, type HistoryBudget } from '../mappings/routing';
import { ROUTING_BATCH_TOO_LARGE, ROUTING_RUN_FULL, type AssignRepsRequest, type RepChoice } from '../api/routing';

export interface RunBudget {
  /** Throws (refusing the update) when the update could take the run past its budget. */
  validate(update: AssignRepsRequest): void;
  /** Counts an accepted update: its input and its answers. */
  record(update: AssignRepsRequest, answers: RepChoice[]): void;
  /** The run could no longer take the largest update: time to roll over. */
  full(): boolean;
  budget: HistoryBudget;
}

/** `carryBytes`: what the run's continue-as-new would carry now (it is written into this run's history too). */
export function createRunBudget(budget: HistoryBudget | undefined, carryBytes: () => number): RunBudget {
  const limits = budget ?? DEFAULT_HISTORY_BUDGET;
  // The run's size at its first task: its start event, which holds the state carried into it.
  const startSize = workflowInfo().historySize;
  let taskSize = -1;
  let sinceTask = 0;

  /**
   * Whether the run grew since its start. A run that did not takes the update anyway and does not roll
   * over: its carried state alone is what fills it, and the next run would be no emptier.
   */
  const grown = (): boolean => taskSize > startSize || sinceTask > 0;

  /** At a new workflow task the server's count includes everything accepted before it. */
  const syncTask = (): void => {
    const size = workflowInfo().historySize;
    if (size === taskSize) return;
    taskSize = size;
    sinceTask = 0;
  };

  const used = (): number => {
    syncTask();
    return taskSize + sinceTask + carryBytes() + RUN_RESERVE_BYTES;
  };

  return {
    budget: limits,
    validate(update) {
      const bound = updateBytesBound(jsonBytes(update), update.requests.length);
      if (bound > limits.updateBytes) {
        throw ApplicationFailure.nonRetryable(
          `a routing update of ${update.requests.length} request(s) may add ${bound} bytes, more than the ${limits.updateBytes} a run takes in one update: split the batch`,
          ROUTING_BATCH_TOO_LARGE,
        );
      }
      const now = used();
      if (grown() && now + bound > limits.runBytes) {
        throw ApplicationFailure.retryable(`the routing queue's run is full (${now} + ${bound} of ${limits.runBytes} bytes): send again to reach its next run`, ROUTING_RUN_FULL);
      }
    },
    record(update, answers) {
      syncTask();
      sinceTask += jsonBytes(update) + jsonBytes(answers) + UPDATE_EVENT_BYTES;
    },
    full: () => used() + limits.updateBytes > limits.runBytes && grown(),
  };
}

/**
 * An answer cut to ANSWER_BYTES_MAX, so that the bound the budget counts on holds: a long skip list
 * keeps its first entries and says how many more, a long reason is cut short. Typical answers (a rep,
 * a few skips) are far below it and pass unchanged.
 */
export function fitAnswer(choice: RepChoice): RepChoice {
  if (jsonBytes(choice) <= ANSWER_BYTES_MAX) return choice;
  if (choice.rep) {
    const skipped = choice.skipped ?? [];
    for (let keep = skipped.length - 1; keep >= 0; keep--) {
      const cut = { ...choice, skipped: [...skipped.slice(0, keep), `and ${skipped.length - keep} more`] };
      if (jsonBytes(cut) <= ANSWER_BYTES_MAX) return cut;
    }
    const { skipped: _dropped, ...bare } = choice;
    return bare;
  }
  const room = Math.max(0, ANSWER_BYTES_MAX - jsonBytes({ ...choice, reason: '' }) - 8);
  let reason = choice.reason.slice(0, room);
  while (reason && jsonBytes({ ...choice, reason: `${reason}…` }) > ANSWER_BYTES_MAX) reason = reason.slice(0, -1);
  return { ...choice, reason: `${reason}…` };
}
