/**
 * `handoff-bridge lead retry`: after RevOps fixed what a CRM refused (re-activated the rep, restored
 * the picklist value), runs the blocked step again through the handoff's validated `retry` update.
 * The update id names the block and how many retries it has had, so the same retry asked twice (two
 * operators, a re-run script) runs the step once. `--all --step S` resumes every handoff blocked at S.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { HandoffState } from '../api/handoff';
import { retryUpdate, stateQuery } from '../workflows/handoff';
import { handoffWorkflowId } from '../api/ids';
import { blockedHandoffs } from './stuck-queries';

/** Handoffs resumed at once by `--all`: each retry is one CRM step, so a few at a time spare the budgets. */
const RETRIES_IN_FLIGHT = 4;

export interface RetryOutcome {
  workflowId: string;
  /**
   * went-through: the step passed and the handoff moved on; still-blocked: the CRM refused again;
   * not-blocked: nothing to retry (visibility can list a handoff for a moment after it resumed);
   * refused: the update was refused (another step is blocked) or the handoff does not exist.
   */
  result: 'went-through' | 'still-blocked' | 'not-blocked' | 'refused';
  line: string;
  state?: HandoffState;
}

export async function retryHandoff(client: Client, workflowId: string, actor: string, step?: string): Promise<RetryOutcome> {
  const handle = client.workflow.getHandle(workflowId);
  try {
    const before = await handle.query(stateQuery);
    if (!before.blocked) return { workflowId, result: 'not-blocked', line: `${workflowId}: not blocked (it is ${before.stage}); nothing to retry`, state: before };
    const { step: blockedStep, since, retries } = before.blocked;
    const after = await handle.executeUpdate(retryUpdate, {
      args: [{ actor, ...(step !== undefined ? { step } : {}) }],
      updateId: `retry:${blockedStep}:${since}:${retries}`,
    });
    if (after.blocked) {
      return { workflowId, result: 'still-blocked', line: `${workflowId}: still blocked at ${after.blocked.step} (${after.blocked.code}): the fix is not in effect yet`, state: after };
    }
    return { workflowId, result: 'went-through', line: `${workflowId}: ${blockedStep} went through; now ${after.stage}`, state: after };
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) return { workflowId, result: 'refused', line: `${workflowId}: retry refused: ${err.cause?.message ?? err.message}` };
    if (err instanceof WorkflowNotFoundError) return { workflowId, result: 'refused', line: `${workflowId}: no such handoff` };
    throw err;
  }
}

export function retryOne(client: Client, input: { portalId: string; contactId: string; actor: string; step?: string }): Promise<RetryOutcome> {
  return retryHandoff(client, handoffWorkflowId({ portalId: input.portalId, contactId: input.contactId }), input.actor, input.step);
}

/** Every running handoff blocked at `step` (in one portal, if given), a few at a time. */
export async function retryAll(client: Client, input: { step: string; actor: string; portalId?: string }): Promise<RetryOutcome[]> {
  const query = blockedHandoffs({ step: input.step, ...(input.portalId !== undefined ? { portalId: input.portalId } : {}) });
  const ids: string[] = [];
  for await (const execution of client.workflow.list({ query })) ids.push(execution.workflowId);
  const outcomes: RetryOutcome[] = [];
  for (let i = 0; i < ids.length; i += RETRIES_IN_FLIGHT) {
    outcomes.push(...(await Promise.all(ids.slice(i, i + RETRIES_IN_FLIGHT).map((id) => retryHandoff(client, id, input.actor, input.step)))));
  }
  return outcomes;
}

export function retrySummary(outcomes: RetryOutcome[]): string {
  const count = (result: RetryOutcome['result']) => outcomes.filter((o) => o.result === result).length;
  const retried = outcomes.length - count('not-blocked');
  const resumed = count('not-blocked') ? `; ${count('not-blocked')} had already resumed` : '';
  return `${retried} blocked handoff${retried === 1 ? '' : 's'} retried: ${count('went-through')} went through, ${count('still-blocked')} still blocked, ${count('refused')} refused${resumed}`;
}
