/** The reconcile schedule is created once per portal and updated in place when asked again. */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureReconcileSchedule } from '../activities/reconcile';
import { parseRepairPolicy } from '../mappings/metrics';
import { reconcileScheduleId } from '../api/ids';
import { devServerEnv, uniqueTaskQueue } from './helpers/temporal';

describe('the reconcile schedule', () => {
  let env: TestWorkflowEnvironment;
  const portalId = String(90000 + Math.floor(Math.random() * 9999));
  const taskQueue = uniqueTaskQueue('reconcile-schedule');
  const input = { portalId, policy: parseRepairPolicy('none'), handoffTaskQueue: 'handoff' };

  beforeAll(async () => {
    env = await devServerEnv();
  });

  afterAll(async () => {
    try {
      await env.client.schedule.getHandle(reconcileScheduleId(portalId)).delete();
    } finally {
      await env.teardown();
    }
  });

  it('creates the schedule, then updates its cadence instead of failing on a second call', async () => {
    expect(await ensureReconcileSchedule(env.client, { portalId, every: '24h', taskQueue, input })).toEqual({ scheduleId: `reconcile:${portalId}`, created: true });
    expect(await ensureReconcileSchedule(env.client, { portalId, every: '6h', taskQueue, input })).toEqual({ scheduleId: `reconcile:${portalId}`, created: false });
    const description = await env.client.schedule.getHandle(reconcileScheduleId(portalId)).describe();
    expect(description.spec.intervals?.map((i) => i.every)).toEqual([6 * 3_600_000]);
    expect(description.action.type === 'startWorkflow' && description.action.workflowType).toBe('reconcile');
    expect(description.policies.overlap).toBe('SKIP');
  });

  it('refuses a cadence that is not a duration', async () => {
    await expect(ensureReconcileSchedule(env.client, { portalId, every: 'daily', taskQueue, input })).rejects.toThrow(/duration like/);
    await expect(ensureReconcileSchedule(env.client, { portalId, every: '0h', taskQueue, input })).rejects.toThrow(/longer than zero/);
  });
});
