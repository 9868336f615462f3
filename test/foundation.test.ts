import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCanaryActivities } from '../activities/canary';
import { canary } from '../workflows/canary';
import { devServerEnv, timeSkippingEnv, withWorker } from './helpers/temporal';

describe('on the real dev server', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await devServerEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('runs a workflow and its activity on a worker', async () => {
    await withWorker(env, { activities: createCanaryActivities() }, async ({ taskQueue }) => {
      const result = await env.client.workflow.execute(canary, {
        taskQueue,
        workflowId: `canary-${taskQueue}`,
        args: [{}],
      });
      expect(result).toEqual({ workflowId: `canary-${taskQueue}`, worker: { pid: process.pid, taskQueue } });
    });
  });

  it('has the project search attributes registered', async () => {
    const { customAttributes } = await env.connection.operatorService.listSearchAttributes({ namespace: 'default' });
    expect(Object.keys(customAttributes ?? {})).toEqual(
      expect.arrayContaining(['LeadStage', 'SlaDeadline', 'OwnerId', 'LeadSource', 'Breached']),
    );
  });
});

describe('on the real time-skipping server', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await timeSkippingEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('fires a two-day durable timer without waiting two days', async () => {
    await withWorker(env, { activities: createCanaryActivities() }, async ({ taskQueue }) => {
      const before = await env.currentTimeMs();
      const wallBefore = Date.now();
      await env.client.workflow.execute(canary, { taskQueue, workflowId: `canary-${taskQueue}`, args: [{ wait: '2 days' }] });
      expect((await env.currentTimeMs()) - before).toBeGreaterThanOrEqual(2 * 24 * 3600 * 1000);
      expect(Date.now() - wallBefore).toBeLessThan(60_000);
    });
  });
});
