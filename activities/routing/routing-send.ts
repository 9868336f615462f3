/**
 * Sends a routing update again when the queue refused it because its run was full (ROUTING_RUN_FULL).
 * A refused update left nothing in history and the refusing run is ending (it rolls over once it could
 * no longer take the largest update), so the same requests, sent again at once, reach the next run:
 * no answer is lost, and none is given twice (a request id answered before gets its first answer).
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { ROUTING_RUN_FULL } from '../../api/routing';

/** Refusals in a row before the error goes to the activity's own retries (each run refuses at most once). */
const SENDS_WHEN_FULL = 20;
/** The pause before sending again: the refusing run's continue-as-new is one workflow task away. */
const PAUSE_MS = 25;

export function isRunFull(error: unknown): boolean {
  return error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure && error.cause.type === ROUTING_RUN_FULL;
}

export async function sendUntilTaken<T>(send: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      if (!isRunFull(error) || attempt >= SENDS_WHEN_FULL) throw error;
      await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
    }
  }
}
