/**
 * Sends a pool read whose content changed to the portal's routing queue (workflows/routing-pool.ts),
 * which keeps it durably for `leads stuck` and `sla check --live`. The queue is asked first whether it
 * holds that content already (a query adds no history): of N replicas reading the same change, the
 * first signals and the others see it there, so the queue's history grows once per change.
 */
import type { Client } from '@temporalio/client';
import type { Workflow } from '@temporalio/common';
import { PRIORITY_KEYS } from '../../api/priority';
import { POOL_REPORT_SIGNAL, POOL_STATE_QUERY, ROUTING_QUEUE_WORKFLOW, type PoolReport, type PoolState, type RoutingQueueInput } from '../../api/routing';
import { routingQueueWorkflowId, routingTaskQueue } from '../../api/ids';

export interface PoolReporterDeps {
  client: Client;
  portalId: string;
  /** The orchestration task queue: the routing queue runs on its routing queue (api/ids.ts). */
  orchestrationQueue: string;
}

/** Resolves once the queue holds the report's content (sent now, or already there). */
export type PoolReporter = (report: PoolReport) => Promise<void>;

export function createPoolReporter(deps: PoolReporterDeps): PoolReporter {
  const workflowId = routingQueueWorkflowId(deps.portalId);
  return async (report) => {
    // No answer (no queue yet, or none of its workers up): signal anyway; the queue deduplicates.
    const held = await deps.client.workflow
      .getHandle(workflowId)
      .query<PoolState | null>(POOL_STATE_QUERY)
      .catch(() => undefined);
    if (held?.current.digest === report.digest) return;
    await deps.client.workflow.signalWithStart<Workflow, [PoolReport]>(ROUTING_QUEUE_WORKFLOW, {
      workflowId,
      taskQueue: routingTaskQueue(deps.orchestrationQueue),
      args: [{ portalId: deps.portalId } satisfies RoutingQueueInput],
      signal: POOL_REPORT_SIGNAL,
      signalArgs: [report],
      // As the assignLead activities start it: the queue's tasks never wait behind a burst's handoffs.
      priority: { priorityKey: PRIORITY_KEYS.hot, fairnessKey: deps.portalId },
    });
  };
}
