/**
 * The routing pool as the portals' routing queues recorded it (workflows/routing-pool.ts): for the
 * "Routing pool" section of `leads stuck` and `sla check --live`. Read with queries (no history), each
 * within a deadline: a queue no worker serves right now is said so, not waited on.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { POOL_STATE_QUERY, ROUTING_QUEUE_WORKFLOW, type PoolState } from '../api/routing';
import { routingQueueWorkflowId } from '../api/ids';
import { formatPoolState } from '../mappings/routing';

export interface RecordedPool {
  workflowId: string;
  /** Null when the queue holds no pool read (its contract names no routing.pool, or none was read yet). */
  state: PoolState | null;
  /** Why the queue did not answer (no worker serving it within the deadline). */
  unanswered?: string;
}

const QUERY_DEADLINE_MS = 5_000;
const QUEUES_LISTED = 20;

/**
 * The pool each routing queue recorded: `portalId`'s queue by its id (no visibility lag), else the
 * running queues visibility lists (one per portal).
 */
export async function recordedPools(client: Client, portalId?: string): Promise<RecordedPool[]> {
  const ids: string[] = [];
  if (portalId !== undefined) ids.push(routingQueueWorkflowId(portalId));
  else {
    for await (const execution of client.workflow.list({ query: `WorkflowType = "${ROUTING_QUEUE_WORKFLOW}" AND ExecutionStatus = "Running"`, pageSize: QUEUES_LISTED })) {
      ids.push(execution.workflowId);
      if (ids.length >= QUEUES_LISTED) break;
    }
  }
  return Promise.all(
    ids.map(async (workflowId): Promise<RecordedPool> => {
      try {
        const state = await client.withDeadline(Date.now() + QUERY_DEADLINE_MS, () => client.workflow.getHandle(workflowId).query<PoolState | null>(POOL_STATE_QUERY));
        return { workflowId, state };
      } catch (err) {
        // A portal with no routing queue yet has no pool record: nothing to say beyond "none recorded".
        if (err instanceof WorkflowNotFoundError) return { workflowId, state: null };
        return { workflowId, state: null, unanswered: err instanceof Error ? err.message : String(err) };
      }
    }),
  );
}

/** The section's lines: each queue's pool, its routable and kept-out reps, and its recent changes. */
export function formatRecordedPools(pools: readonly RecordedPool[]): string[] {
  const withPool = pools.filter((p) => p.state !== null || p.unanswered !== undefined);
  if (withPool.length === 0) return ['Routing pool: none recorded (the contract names no routing.pool, or no worker has read it yet)'];
  return withPool.flatMap((p) =>
    p.state ? [`Routing pool (${p.workflowId}):`, ...formatPoolState(p.state)] : [`Routing pool (${p.workflowId}): not answered (${p.unanswered ?? ''}); is a worker running?`],
  );
}
