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
  /** The queue's workflow tasks that took updates (QueueRuns.updateTasks). */
  updateTasks: RoutingTask[];
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

/**
 * One workflow task of the routing queue that took updates, on the server's clock (epoch ms): when it
 * was scheduled, started (handed to the worker) and completed, and the requests of its updates.
 */
export interface RoutingTask {
  scheduledAt: number;
  startedAt: number;
  completedAt: number;
  updates: number;
  /** Request ids of its updates, in order, with whether each was a priority lead's. */
  requests: { requestId: string; hot: boolean }[];
}

/**
 * Every run of a portal's routing queue: their number, the largest history, their workflow tasks
 * (started → completed), and those that took updates, in order (an update's Accepted event follows the
 * WorkflowTaskCompleted of the task that took it; its input, JSON, names the requests).
 */
export interface QueueRuns {
  runs: number;
  largestRunBytes: number;
  workflowTasks: number;
  workflowTaskMs: number;
  longestWorkflowTaskMs: number;
  updateTasks: RoutingTask[];
}

export async function routingQueueRuns(client: Client, portalId: string): Promise<QueueRuns> {
  const queueId = routingQueueWorkflowId(portalId);
  const found: QueueRuns = { runs: 0, largestRunBytes: 0, workflowTasks: 0, workflowTaskMs: 0, longestWorkflowTaskMs: 0, updateTasks: [] };
  for await (const execution of client.workflow.list({ query: `WorkflowId = "${queueId}"` })) {
    found.runs += 1;
    const handle = client.workflow.getHandle(queueId, execution.runId);
    const described = await handle.describe();
    found.largestRunBytes = Math.max(found.largestRunBytes, Number(described.raw.workflowExecutionInfo?.historySizeBytes ?? 0));
    let scheduledAt = 0;
    let startedAt = 0;
    let task: RoutingTask | undefined;
    for (const event of (await handle.fetchHistory()).events ?? []) {
      const at = millis(event.eventTime);
      if (event.workflowTaskScheduledEventAttributes) scheduledAt = at;
      if (event.workflowTaskStartedEventAttributes) startedAt = at;
      if (event.workflowTaskCompletedEventAttributes && startedAt) {
        found.workflowTasks += 1;
        found.workflowTaskMs += at - startedAt;
        found.longestWorkflowTaskMs = Math.max(found.longestWorkflowTaskMs, at - startedAt);
        task = { scheduledAt, startedAt, completedAt: at, updates: 0, requests: [] };
      }
      const accepted = event.workflowExecutionUpdateAcceptedEventAttributes;
      if (!accepted || !task) continue;
      if (task.updates === 0) found.updateTasks.push(task);
      task.updates += 1;
      task.requests.push(...requestsOf(accepted.acceptedRequest?.input?.args?.payloads?.[0]?.data));
    }
  }
  found.updateTasks.sort((a, b) => a.completedAt - b.completedAt);
  return found;
}

function requestsOf(data: Uint8Array | null | undefined): { requestId: string; hot: boolean }[] {
  if (!data) return [];
  try {
    const update = JSON.parse(Buffer.from(data).toString('utf8')) as { requests?: { requestId?: string; hot?: boolean }[] };
    return (update.requests ?? []).map((r) => ({ requestId: r.requestId ?? '?', hot: r.hot === true }));
  } catch {
    return [];
  }
}

/**
 * For the hot leads' routing: each task that answered one of them, beside the task before it (the one
 * a hot update arriving mid-task waited for), from the hot leads' sending (`sentAt`, epoch ms).
 */
export function describeHotRoutingTasks(tasks: RoutingTask[], hotWorkflowIds: string[], sentAt: number): string[] {
  const ofLead = (task: RoutingTask, id: string) => task.requests.some((r) => r.requestId.startsWith(`${id}:`));
  const at = (ms: number) => `${String(ms - sentAt).padStart(6)} ms`;
  const shape = (task: RoutingTask) => `${task.updates} update${task.updates === 1 ? '' : 's'}, ${task.requests.length} requests (${task.requests.filter((r) => r.hot).length} hot)`;
  const lines: string[] = [];
  tasks.forEach((task, i) => {
    const leads = hotWorkflowIds.filter((id) => ofLead(task, id)).length;
    if (!leads) return;
    const before = tasks[i - 1];
    lines.push(
      `  routing task for ${leads} hot lead${leads === 1 ? '' : 's'}: scheduled ${at(task.scheduledAt)}, started ${at(task.startedAt)}, completed ${at(task.completedAt)}; ${shape(task)}`,
      ...(before ? [`    the task before it: scheduled ${at(before.scheduledAt)}, started ${at(before.startedAt)}, completed ${at(before.completedAt)}; ${shape(before)}`] : []),
    );
  });
  return lines.length ? ['hot leads\' routing, the queue\'s workflow tasks on the server\'s clock (from the hot leads\' sending):', ...lines] : [];
}

export async function routingStats(client: Client, portalId: string, handoffIds: string[]): Promise<RoutingStats> {
  const { runs, largestRunBytes, longestWorkflowTaskMs, updateTasks } = await routingQueueRuns(client, portalId);
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
  return { runs, largestRunBytes, longestWorkflowTaskMs, handoffsRead: handoffIds.length, retriedActivities, retriedBy, retryCauses, counts, updateTasks };
}
