/**
 * Starting a lead's handoff, the one way, on `handoff:<portalId>:<contactId>`: an open handoff is
 * signalled and never duplicated, and a missing one is started.
 *
 * A new handoff is started with the change as its trigger (the workflow counts the trigger's event as
 * seen), not by signal-with-start: the signal would be one more event in every handoff's history, for
 * a change the input already carries. Only when the handoff is open is the change signalled.
 */
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Priority } from '@temporalio/common';
import type { ContactChange, HandoffInput } from '../api/handoff';
import { contactChangedSignal, leadHandoff } from '../workflows/handoff';
import { handoffWorkflowId } from '../api/ids';
import { LEAD_STAGE } from '../api/search-attributes';
import type { Stage } from '../mappings/contract';

/**
 * The stage a handoff shows from its start: HubSpot's MQL is what starts it. So a handoff that no worker
 * has picked up yet, or whose assignment retries, is in the stuck queries (worker/stuck-queries.ts
 * stuckInSyncWait) without a visibility write of its own (workflows/handoff/run.ts publishes the rest
 * where the lead sits).
 */
const STAGE_AT_START: Stage = 'MQL';

/** Start, else signal: a handoff that closes between the two is started afresh, a few times at most. */
const START_OR_SIGNAL_TRIES = 3;

export async function startOrSignalHandoff(
  client: Client,
  input: HandoffInput & {
    taskQueue: string;
    change: ContactChange;
    priority?: Priority;
    /**
     * Asks the server to hand the new handoff's first workflow task straight back to a worker of this
     * process (eager start) rather than through the task queue. Only with a client on the worker's
     * NativeConnection; the server starts it the ordinary way when no worker here has a free slot.
     */
    eager?: boolean;
  },
): Promise<{ workflowId: string; eagerlyStarted: boolean }> {
  const workflowId = handoffWorkflowId(input);
  const { taskQueue, change, priority, eager, ...handoff } = input;
  if (handoff.trigger.eventId !== change.eventId) {
    throw new Error(`handoff ${workflowId}: trigger.eventId ${JSON.stringify(handoff.trigger.eventId)} is not the change's eventId ${JSON.stringify(change.eventId)}`);
  }
  for (let attempt = 1; ; attempt++) {
    try {
      const handle = await client.workflow.start(leadHandoff, {
        workflowId,
        taskQueue,
        args: [handoff],
        typedSearchAttributes: [{ key: LEAD_STAGE, value: STAGE_AT_START }],
        // Its workflow tasks and activities inherit it (a priority lead's never wait behind a burst).
        ...(priority ? { priority } : {}),
        ...(eager ? { requestEagerStart: true } : {}),
      });
      return { workflowId, eagerlyStarted: handle.eagerlyStarted };
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    if (await signalOpenHandoff(client, input, change)) return { workflowId, eagerlyStarted: false };
    if (attempt >= START_OR_SIGNAL_TRIES) throw new Error(`handoff ${workflowId}: neither started nor open after ${attempt} tries`);
  }
}

/** Signals an open handoff; false when the lead has none (not an error: most changes are not handoffs). */
export async function signalOpenHandoff(client: Client, key: { portalId: string; contactId: string }, change: ContactChange): Promise<boolean> {
  try {
    await client.workflow.getHandle(handoffWorkflowId(key)).signal(contactChangedSignal, change);
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}
