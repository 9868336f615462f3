/** Reading a handoff's history: how many events it holds and which activities it scheduled. */
import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';

export interface ScheduledActivity {
  type: string;
  taskQueue: string;
}

export async function historyEvents(client: Client, workflowId: string) {
  return (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
}

/** The activities scheduled in order, with the queue each went to. */
export async function scheduledActivities(client: Client, workflowId: string): Promise<ScheduledActivity[]> {
  return (await historyEvents(client, workflowId)).flatMap((event) => {
    const scheduled = event.activityTaskScheduledEventAttributes;
    return scheduled ? [{ type: scheduled.activityType?.name ?? '', taskQueue: scheduled.taskQueue?.name ?? '' }] : [];
  });
}

/** Activities per task queue up to and including the first of type `until`. */
export function activitiesUntil(activities: ScheduledActivity[], until: string): Map<string, number> {
  const perQueue = new Map<string, number>();
  for (const activity of activities) {
    perQueue.set(activity.taskQueue, (perQueue.get(activity.taskQueue) ?? 0) + 1);
    if (activity.type === until) break;
  }
  return perQueue;
}

/** The marker Core records for each local activity. */
const LOCAL_ACTIVITY_MARKER = 'core_local_activity';

/**
 * A local activity's marker read back: its activity type and when it completed (Core's JSON marker
 * data, `complete_time` in epoch seconds + nanos); undefined for any other marker.
 */
export function localActivityMarker(marker: temporal.api.history.v1.IMarkerRecordedEventAttributes): { type?: string; completedAt?: number } | undefined {
  if (marker.markerName !== LOCAL_ACTIVITY_MARKER) return undefined;
  const data = marker.details?.data?.payloads?.[0]?.data;
  if (!data) return {};
  try {
    const parsed = JSON.parse(Buffer.from(data).toString('utf8')) as { activity_type?: string; complete_time?: { seconds?: number; nanos?: number } };
    const done = parsed.complete_time;
    return { ...(parsed.activity_type ? { type: parsed.activity_type } : {}), ...(done ? { completedAt: (done.seconds ?? 0) * 1000 + Math.floor((done.nanos ?? 0) / 1e6) } : {}) };
  } catch {
    return {};
  }
}

/** What one execution cost Temporal: workflow tasks, activity tasks, local activities (markers), events. */
export interface TaskCounts {
  workflowTasks: number;
  activities: number;
  localActivities: number;
  events: number;
}

export function countTasks(events: Awaited<ReturnType<typeof historyEvents>>): TaskCounts {
  let workflowTasks = 0;
  let activities = 0;
  let localActivities = 0;
  for (const event of events) {
    if (event.workflowTaskStartedEventAttributes) workflowTasks += 1;
    if (event.activityTaskStartedEventAttributes) activities += 1;
    if (event.markerRecordedEventAttributes?.markerName === LOCAL_ACTIVITY_MARKER) localActivities += 1;
  }
  return { workflowTasks, activities, localActivities, events: events.length };
}

/** `5.0 workflow tasks, 3.0 activities, 2.0 local, 31 events` (means over `n` executions). */
export function describeCounts(total: TaskCounts, n: number): string {
  const mean = (v: number, digits = 1): string => (n ? (v / n).toFixed(digits) : 'n/a');
  return `${mean(total.workflowTasks)} workflow tasks, ${mean(total.activities)} activities, ${mean(total.localActivities)} local, ${mean(total.events, 0)} events`;
}

export function addCounts(a: TaskCounts, b: TaskCounts): TaskCounts {
  return { workflowTasks: a.workflowTasks + b.workflowTasks, activities: a.activities + b.activities, localActivities: a.localActivities + b.localActivities, events: a.events + b.events };
}
