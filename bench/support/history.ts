/** Reading a handoff's history: how many events it holds and which activities it scheduled. */
import type { Client } from '@temporalio/client';

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
