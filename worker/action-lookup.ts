/**
 * What a signed link's handoff is doing now, read from Temporal: still open (its live state, by
 * query), finished (its result, from history: no worker needed), ended otherwise (failed,
 * terminated), or unknown. The link pages are built from this, never from Temporal's raw errors.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { HandoffResult, HandoffState } from '../api/handoff';
import { stateQuery } from '../workflows/handoff';

export type LinkedHandoff =
  | { kind: 'open'; state: HandoffState }
  | { kind: 'finished'; result: HandoffResult }
  | { kind: 'ended'; status: string }
  | { kind: 'unknown' };

export async function lookUpHandoff(client: Client, workflowId: string): Promise<LinkedHandoff> {
  const handle = client.workflow.getHandle(workflowId);
  try {
    const description = await handle.describe();
    const status = description.status.name;
    if (status === 'RUNNING') return { kind: 'open', state: await handle.query(stateQuery) };
    if (status === 'COMPLETED') return { kind: 'finished', result: (await handle.result()) as HandoffResult };
    return { kind: 'ended', status: status.toLowerCase().replace(/_/g, ' ') };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return { kind: 'unknown' };
    throw err;
  }
}
