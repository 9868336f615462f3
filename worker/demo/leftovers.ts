/**
 * The demo keeps Temporal's history across runs (the UI shows earlier runs), but its sandboxes live in
 * memory: an earlier run's open handoffs, watcher and sweep schedule point at CRM records that died
 * with that run, and their timers would otherwise fire against the new sandboxes' records. So before a
 * run starts, whatever is still open on the demo's task queue is terminated and its schedules deleted.
 * Closed histories stay, for the UI. Only ever used on the demo's own task queue and dev server.
 */
import { ScheduleNotFoundError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { hotTaskQueue } from '../../api/ids';

const REASON = 'an earlier npm start demo run: its sandbox records are gone';

export async function clearEarlierDemoRuns(client: Client, taskQueue: string): Promise<{ terminated: number; schedulesDeleted: number }> {
  let terminated = 0;
  // Priority leads' handoffs run on the queue's hot lane (workflows/ids.ts).
  const query = `ExecutionStatus = "Running" AND (TaskQueue = "${taskQueue}" OR TaskQueue = "${hotTaskQueue(taskQueue)}")`;
  for await (const execution of client.workflow.list({ query })) {
    try {
      await client.workflow.getHandle(execution.workflowId, execution.runId).terminate(REASON);
      terminated += 1;
    } catch (err) {
      // It closed between the listing and the termination: nothing left to do.
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
  }
  let schedulesDeleted = 0;
  for await (const summary of client.schedule.list()) {
    const handle = client.schedule.getHandle(summary.scheduleId);
    try {
      const description = await handle.describe();
      if (description.action.type !== 'startWorkflow' || description.action.taskQueue !== taskQueue) continue;
      await handle.delete();
      schedulesDeleted += 1;
    } catch (err) {
      if (!(err instanceof ScheduleNotFoundError)) throw err;
    }
  }
  return { terminated, schedulesDeleted };
}
