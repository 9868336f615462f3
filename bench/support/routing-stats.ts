/**
 * What the burst did to routing, read back from Temporal: every run of the portal's routing queue
 * (history size, longest workflow task from started to completed) and, over the handoffs, how many
 * activity attempts were retries (an attempt past the first: a timeout or a failure).
 */
import type { Client } from '@temporalio/client';
// A default import: the package is CommonJS, whose named exports Node's ESM loader cannot see (the bench runs under tsx).
import proto from '@temporalio/proto';
import { routingQueueWorkflowId } from '../../api/ids';
import { addCounts, countTasks, historyEvents, type TaskCounts } from './history';
import { millis } from './event-time';

export interface RoutingStats {
  runs: number;
  largestRunBytes: number;
  longestWorkflowTaskMs: number;
  handoffsRead: number;
  retriedActivities: number;
  /**
   * The retried attempts by activity type and what ended the attempt before: `assignLead: timeout
   * (heartbeat)`, `readContact: timeout (heartbeat, never heard from)` (describeTimeout).
   */
  retriedBy: Record<string, number>;
  /** For each key of `retriedBy`, the message of the first failure that ended an attempt (cut to 200 characters). */
  retryCauses: Record<string, string>;
  /** Summed over the handoffs read (histories as they stand: parked on the acceptance timer). */
  counts: TaskCounts;
}


const { TimeoutType } = proto.temporal.api.enums.v1;
const timeoutName = (type: proto.temporal.api.enums.v1.TimeoutType): string =>
  (TimeoutType[type] ?? String(type)).replace('TIMEOUT_TYPE_', '').toLowerCase().replaceAll('_', '-');

/**
 * A heartbeat timeout of an attempt that never heartbeated (a CRM attempt's first heartbeat is due
 * 10 s after it begins, activities/handoff/heartbeat-while.ts) is an attempt the worker never ran or
 * lost at once: under load the server can record a task started and not deliver it (docs/benchmarks.md).
 */
export function describeTimeout(info: proto.temporal.api.failure.v1.ITimeoutFailureInfo): string {
  const name = timeoutName(info.timeoutType ?? TimeoutType.TIMEOUT_TYPE_UNSPECIFIED);
  const heard = (info.lastHeartbeatDetails?.payloads?.length ?? 0) > 0;
  return info.timeoutType === TimeoutType.TIMEOUT_TYPE_HEARTBEAT && !heard ? `${name}, never heard from` : name;
}

/** Every run of a portal's routing queue: their number, the largest history, and their workflow tasks (started → completed). */
export interface QueueRuns {
  runs: number;
  largestRunBytes: number;
  workflowTasks: number;
  workflowTaskMs: number;
  longestWorkflowTaskMs: number;
}

export async function routingQueueRuns(client: Client, portalId: string): Promise<QueueRuns> {
  const queueId = routingQueueWorkflowId(portalId);
  const found: QueueRuns = { runs: 0, largestRunBytes: 0, workflowTasks: 0, workflowTaskMs: 0, longestWorkflowTaskMs: 0 };
  for await (const execution of client.workflow.list({ query: `WorkflowId = "${queueId}"` })) {
    found.runs += 1;
    const handle = client.workflow.getHandle(queueId, execution.runId);
    const described = await handle.describe();
    found.largestRunBytes = Math.max(found.largestRunBytes, Number(described.raw.workflowExecutionInfo?.historySizeBytes ?? 0));
    let startedAt = 0;
    for (const event of (await handle.fetchHistory()).events ?? []) {
      if (event.workflowTaskStartedEventAttributes) startedAt = millis(event.eventTime);
      if (!event.workflowTaskCompletedEventAttributes || !startedAt) continue;
      const ms = millis(event.eventTime) - startedAt;
      found.workflowTasks += 1;
      found.workflowTaskMs += ms;
      found.longestWorkflowTaskMs = Math.max(found.longestWorkflowTaskMs, ms);
    }
  }
  return found;
}

export async function routingStats(client: Client, portalId: string, handoffIds: string[]): Promise<RoutingStats> {
  const { runs, largestRunBytes, longestWorkflowTaskMs } = await routingQueueRuns(client, portalId);
  let retriedActivities = 0;
  const retriedBy: Record<string, number> = {};
  const retryCauses: Record<string, string> = {};
  let counts: TaskCounts = { workflowTasks: 0, activities: 0, localActivities: 0, events: 0 };
  // Every handoff's history, eight reads at a time (a 10,000-lead burst reads 10,000 of them).
  const pending = [...handoffIds];
  const readOne = async (id: string): Promise<void> => {
    const types = new Map<string, string>();
    const events = await historyEvents(client, id);
    counts = addCounts(counts, countTasks(events));
    for (const event of events) {
      const scheduled = event.activityTaskScheduledEventAttributes;
      if (scheduled) types.set(String(event.eventId ?? ''), scheduled.activityType?.name ?? '?');
      const started = event.activityTaskStartedEventAttributes;
      if (!started || (started.attempt ?? 1) <= 1) continue;
      retriedActivities += 1;
      // The started event of a retry carries the failure that ended the attempt before it; a timeout
      // names which (heartbeat, start-to-close), since they call for different remedies.
      const timedOut = started.lastFailure?.timeoutFailureInfo;
      const cause = timedOut ? `timeout${timedOut.timeoutType ? ` (${describeTimeout(timedOut)})` : ''}` : 'failure';
      const key = `${types.get(String(started.scheduledEventId ?? '')) ?? '?'}: ${cause}`;
      retriedBy[key] = (retriedBy[key] ?? 0) + 1;
      retryCauses[key] ??= (started.lastFailure?.message ?? '(no message)').slice(0, 200);
    }
  };
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let id = pending.shift(); id !== undefined; id = pending.shift()) await readOne(id);
    }),
  );
  return { runs, largestRunBytes, longestWorkflowTaskMs, handoffsRead: handoffIds.length, retriedActivities, retriedBy, retryCauses, counts };
}
