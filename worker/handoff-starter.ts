/**
 * Starting a lead's handoff, the one way: signal-with-start on `handoff:<portalId>:<contactId>`, so an
 * open handoff is signalled and never duplicated, and a missing one is started.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Priority } from '@temporalio/common';
import type { ContactChange, HandoffInput } from '../api/handoff';
import { contactChangedSignal, leadHandoff } from '../workflows/handoff';
import { handoffWorkflowId } from '../api/ids';

export async function startOrSignalHandoff(
  client: Client,
  input: HandoffInput & { taskQueue: string; change: ContactChange; priority?: Priority },
): Promise<{ workflowId: string }> {
  const workflowId = handoffWorkflowId(input);
  const { taskQueue, change, priority, ...handoff } = input;
  await client.workflow.signalWithStart(leadHandoff, {
    workflowId,
    taskQueue,
    args: [handoff],
    signal: contactChangedSignal,
    signalArgs: [change],
    // Its workflow tasks and activities inherit it (a priority lead's never wait behind a burst).
    ...(priority ? { priority } : {}),
  });
  return { workflowId };
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
