/**
 * Where a reconciliation's time went, from its workflow history: each activity type's calls and
 * time from scheduled to completed (the phases run one after another, so they add up to the run),
 * and the time before the workflow's first task (the private worker's start and bundle).
 */
import type { Client } from '@temporalio/client';
import { millis } from './event-time';

export interface ReconcilePhase {
  activity: string;
  calls: number;
  ms: number;
}

/** The phases of the one reconcile workflow this server ran (the benchmark's own dev server). */
export async function reconcilePhases(client: Client): Promise<{ workflowStartedAt: number; phases: ReconcilePhase[] }> {
  let workflowId: string | undefined;
  for await (const wf of client.workflow.list({ query: 'WorkflowType = "reconcile"' })) workflowId = wf.workflowId;
  if (!workflowId) throw new Error('reconcile phases: no reconcile workflow on this server');
  const events = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const scheduled = new Map<string, { type: string; at: number }>();
  const phases = new Map<string, ReconcilePhase>();
  for (const event of events) {
    const at = millis(event.eventTime);
    const s = event.activityTaskScheduledEventAttributes;
    if (s) scheduled.set(String(event.eventId), { type: s.activityType?.name ?? '', at });
    const done = event.activityTaskCompletedEventAttributes;
    const from = done ? scheduled.get(String(done.scheduledEventId)) : undefined;
    if (from) {
      const phase = phases.get(from.type) ?? { activity: from.type, calls: 0, ms: 0 };
      phase.calls++;
      phase.ms += at - from.at;
      phases.set(from.type, phase);
    }
  }
  return { workflowStartedAt: millis(events[0]?.eventTime), phases: [...phases.values()] };
}
