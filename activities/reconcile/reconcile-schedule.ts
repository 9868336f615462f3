/**
 * The Temporal Schedule that runs reconciliation on a cadence, created idempotently: a second call
 * with the same portal updates the cadence and input of the existing schedule instead of failing.
 */
import { ScheduleAlreadyRunning, type Client } from '@temporalio/client';
import { z } from 'zod';
import { reconcileScheduleId } from '../../api/ids';
import { RECONCILE_WORKFLOW, type ReconcileInput } from '../../api/reconcile';

/** `30m`, `6h`, `24 hours`, `1d`: the interval forms Temporal's ms-style durations accept. */
export const cadenceSchema = z
  .string()
  .trim()
  .regex(/^\d+\s*(s|m|h|d|seconds?|minutes?|hours?|days?)$/, 'must be a duration like 30m, 6h, 24h or 1d')
  .refine((value) => !/^0+\s*\D/.test(value), 'must be longer than zero');

export interface ReconcileScheduleOptions {
  portalId: string;
  every: string;
  /** The queue the reconcile workflow and its activities run on (the orchestration queue). */
  taskQueue: string;
  input: ReconcileInput;
}

export async function ensureReconcileSchedule(client: Client, options: ReconcileScheduleOptions): Promise<{ scheduleId: string; created: boolean }> {
  const every = cadenceSchema.parse(options.every);
  const scheduleId = reconcileScheduleId(options.portalId);
  const action = {
    type: 'startWorkflow' as const,
    workflowType: RECONCILE_WORKFLOW,
    workflowId: `reconcile:${options.portalId}`,
    taskQueue: options.taskQueue,
    args: [options.input],
  };
  try {
    await client.schedule.create({ scheduleId, spec: { intervals: [{ every }] }, action, policies: { overlap: 'SKIP' } });
    return { scheduleId, created: true };
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(scheduleId).update((previous) => ({ ...previous, spec: { intervals: [{ every }] }, action }));
    return { scheduleId, created: false };
  }
}
