/**
 * `handoff-bridge lead rebase-contract`: a new contract reaches new handoffs when the workers run it;
 * open ones stay on the version they started on until an operator moves them. This registers the
 * given contract version in the deployment's registry (so every replica can resolve it), then moves
 * one handoff, or every open one, through its validated `rebaseContract` update; a re-run finds the
 * moved ones already on it.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { contractHash } from '../activities/contract';
import { registerContract } from '../activities/contract';
import type { Contract } from '../mappings/contract';
import { rebaseContractUpdate, stateQuery } from '../workflows/handoff';
import { handoffWorkflowId } from '../api/ids';
import { openHandoffs } from './stuck-queries';

/** Handoffs moved at once by `--all`: each move is one workflow task, and reads the registry once per worker. */
const MOVES_IN_FLIGHT = 8;

export interface RebaseTarget {
  client: Client;
  /** The orchestration task queue: it names the registry (HANDOFF_TASK_QUEUE). */
  taskQueue: string;
  contract: Contract;
  actor: string;
}

export interface RebaseOutcome {
  workflowId: string;
  /** moved: now on the new version; already: it was on it; refused: over, waiting on a rep the version lacks, or no such handoff. */
  result: 'moved' | 'already' | 'refused';
  line: string;
}

export async function registerVersion(target: RebaseTarget): Promise<{ hash: string; registeredAt: string }> {
  return registerContract({ client: target.client, orchestrationQueue: target.taskQueue }, target.contract, contractHash(target.contract));
}

export async function rebaseHandoff(target: RebaseTarget, hash: string, workflowId: string): Promise<RebaseOutcome> {
  const handle = target.client.workflow.getHandle(workflowId);
  try {
    // A lead waiting on a rep the new version no longer has would fail its reminder and breach alerts
    // (the alert goes to the rep's channels in the handoff's version): move it once it is decided or reassigned.
    const before = await handle.query(stateQuery);
    const owner = before.ownerId;
    if (before.stage === 'AwaitingAcceptance' && owner !== undefined && !target.contract.routing.reps.some((r) => r.id === owner)) {
      return { workflowId, result: 'refused', line: `${workflowId}: refused: it awaits acceptance by ${owner}, who is not in ${hash}'s routing; move it once it is decided or reassigned` };
    }
    // Idempotent by content: asked again, a handoff already on the version answers "already".
    const moved = await handle.executeUpdate(rebaseContractUpdate, { args: [{ hash, actor: target.actor }] });
    if (moved.from === moved.to) return { workflowId, result: 'already', line: `${workflowId}: already on ${hash} (${moved.stage})` };
    return { workflowId, result: 'moved', line: `${workflowId}: ${moved.from} → ${moved.to} (${moved.stage})` };
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) return { workflowId, result: 'refused', line: `${workflowId}: refused: ${err.cause?.message ?? err.message}` };
    if (err instanceof WorkflowNotFoundError) return { workflowId, result: 'refused', line: `${workflowId}: no such open handoff` };
    throw err;
  }
}

/** One lead's handoff, or every open one (in one portal, if given), a few at a time. */
export async function rebaseHandoffs(
  target: RebaseTarget,
  scope: { portalId: string; contactId: string } | { all: true; portalId?: string },
): Promise<{ hash: string; outcomes: RebaseOutcome[] }> {
  const { hash } = await registerVersion(target);
  const ids: string[] = [];
  if ('contactId' in scope) ids.push(handoffWorkflowId(scope));
  else for await (const execution of target.client.workflow.list({ query: openHandoffs(scope.portalId !== undefined ? { portalId: scope.portalId } : {}) })) ids.push(execution.workflowId);
  const outcomes: RebaseOutcome[] = [];
  for (let i = 0; i < ids.length; i += MOVES_IN_FLIGHT) {
    outcomes.push(...(await Promise.all(ids.slice(i, i + MOVES_IN_FLIGHT).map((id) => rebaseHandoff(target, hash, id)))));
  }
  return { hash, outcomes };
}

export function rebaseSummary(hash: string, outcomes: RebaseOutcome[]): string {
  const count = (result: RebaseOutcome['result']) => outcomes.filter((o) => o.result === result).length;
  return `${outcomes.length} handoff${outcomes.length === 1 ? '' : 's'} asked to run on ${hash}: ${count('moved')} moved, ${count('already')} already on it, ${count('refused')} refused`;
}
