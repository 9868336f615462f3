/**
 * What the burst did to routing, read back from Temporal: every run of the portal's routing queue
 * (history size, longest workflow task from started to completed) and, over the handoffs, how many
 * activity attempts were retries (an attempt past the first: a timeout or a failure).
 */
import type { Client } from '@temporalio/client';
import { routingQueueWorkflowId } from '../../api/ids';
import { historyEvents } from './history';

export interface RoutingStats {
  runs: number;
  largestRunBytes: number;
  longestWorkflowTaskMs: number;
  handoffsRead: number;
  retriedActivities: number;
}

const millis = (time: { seconds?: unknown; nanos?: number | null } | null | undefined): number =>
  time ? Number(time.seconds ?? 0) * 1000 + Math.floor((time.nanos ?? 0) / 1e6) : 0;

export async function routingStats(client: Client, portalId: string, handoffIds: string[]): Promise<RoutingStats> {
  const queueId = routingQueueWorkflowId(portalId);
  let runs = 0;
  let largestRunBytes = 0;
  let longestWorkflowTaskMs = 0;
  for await (const execution of client.workflow.list({ query: `WorkflowId = "${queueId}"` })) {
    runs += 1;
    const handle = client.workflow.getHandle(queueId, execution.runId);
    const described = await handle.describe();
    largestRunBytes = Math.max(largestRunBytes, Number(described.raw.workflowExecutionInfo?.historySizeBytes ?? 0));
    let startedAt = 0;
    for (const event of (await handle.fetchHistory()).events ?? []) {
      if (event.workflowTaskStartedEventAttributes) startedAt = millis(event.eventTime);
      if (event.workflowTaskCompletedEventAttributes && startedAt) longestWorkflowTaskMs = Math.max(longestWorkflowTaskMs, millis(event.eventTime) - startedAt);
    }
  }
  let retriedActivities = 0;
  for (const id of handoffIds) {
    for (const event of await historyEvents(client, id)) {
      if ((event.activityTaskStartedEventAttributes?.attempt ?? 1) > 1) retriedActivities += 1;
    }
  }
  return { runs, largestRunBytes, longestWorkflowTaskMs, handoffsRead: handoffIds.length, retriedActivities };
}
