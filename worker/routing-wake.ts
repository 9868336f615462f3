/**
 * Leads waiting for a rep wake when one can take leads again: when a worker's read of the routing
 * pool finds a rep joined, reactivated or back in office, the handoffs of its task queues that wait in
 * `LeadStage = "Routing"` by time (no rep, off hours) get the `routingChanged` signal and ask routing again at once, instead of
 * at their next daily re-check (a lead no rep could take) or their next working time. Each worker
 * reads the pool, so a change may wake a lead more than once: each wake costs one routing try.
 */
import type { Client } from '@temporalio/client';
import { hotTaskQueue } from '../api/ids';
import { ROUTING_CHANGED_SIGNAL, ROUTING_STAGE } from '../api/routing';
import { LEAD_STAGE, ROUTING_WAIT } from '../api/search-attributes';

/**
 * The visibility query for the handoffs of `taskQueue` (and its hot lane) waiting for a rep by time
 * (`no_rep`, `off_hours`). Not those waitlisted at a cap: the routing queue serves its waitlist in
 * order on each freed slot, and a woken lead that is still capped would rejoin it at the back.
 */
export function routingWaitsQuery(taskQueue: string): string {
  const queues = `(TaskQueue = "${taskQueue}" OR TaskQueue = "${hotTaskQueue(taskQueue)}")`;
  const waits = `(${ROUTING_WAIT.name} = "no_rep" OR ${ROUTING_WAIT.name} = "off_hours")`;
  return `ExecutionStatus = "Running" AND ${queues} AND ${LEAD_STAGE.name} = "${ROUTING_STAGE}" AND ${waits}`;
}

/** Signals every waiting handoff; returns how many were told (a handoff that just closed is skipped). */
export async function wakeRoutingWaits(client: Client, taskQueue: string, why: string): Promise<number> {
  let woken = 0;
  for await (const execution of client.workflow.list({ query: routingWaitsQuery(taskQueue) })) {
    try {
      await client.workflow.getHandle(execution.workflowId).signal(ROUTING_CHANGED_SIGNAL, { why });
      woken += 1;
    } catch {
      // Closed between the list and the signal: nothing waits there any more.
    }
  }
  return woken;
}
