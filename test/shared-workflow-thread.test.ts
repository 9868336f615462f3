/**
 * Workers created through a shared workflow thread run their workflows on one OS thread (seen in
 * /proc/self/task, where Node names each worker thread "WorkerThread"), and a kept thread outlives
 * its Workers for `keepIdleMs`, for the next Worker to take. Other test files in this process may
 * hold or end threads of their own meanwhile, so the checks follow thread ids, never counts.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createCanaryActivities } from '../activities/canary';
import { canary } from '../workflows/canary';
import { createBridgeWorker } from '../worker/create-worker';
import { shareWorkflowThread, type WorkflowThreadShare } from '../worker/shared-workflow-thread';
import { eventually } from './helpers/handoff';
import { devServerEnv, uniqueTaskQueue } from './helpers/temporal';
import { added, workerThreads } from './helpers/threads';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await devServerEnv();
});
afterAll(async () => {
  await env?.teardown();
});

function workerOn(share: WorkflowThreadShare, activities: object = createCanaryActivities()) {
  return createBridgeWorker({
    connection: env.nativeConnection,
    taskQueue: uniqueTaskQueue('shared-thread'),
    activities,
    workflowBundle: { codePath: inject('workflowBundlePath') },
    workflowThread: share,
  });
}

/** Runs the canary on a worker of `share` and shuts the worker down; returns the thread ids its creation added. */
async function canaryOn(share: WorkflowThreadShare): Promise<string[]> {
  const before = workerThreads();
  const worker = await workerOn(share);
  const started = added(before, workerThreads());
  const { taskQueue } = worker.options;
  const result = await worker.runUntil(env.client.workflow.execute(canary, { taskQueue, workflowId: `canary-${taskQueue}`, args: [{}] }));
  expect(result.worker.taskQueue).toBe(taskQueue);
  return started;
}

describe('shareWorkflowThread', () => {
  it('keeps the thread after its last Worker for keepIdleMs, hands it to the next Worker, then ends it', async () => {
    const share = shareWorkflowThread({ keepIdleMs: 1_500 });
    const first = await canaryOn(share);
    expect(first).toHaveLength(1);
    expect(share.threads()).toBe(1);
    expect(workerThreads().has(first[0]!)).toBe(true);

    const second = await canaryOn(share);
    expect(second).toEqual([]);
    expect(workerThreads().has(first[0]!)).toBe(true);

    await eventually(() => share.threads() === 0 && !workerThreads().has(first[0]!), 'the kept thread ended after its idle time', 10_000);
  });

  it('gives a Worker registering activities its thread does not know a thread of its own when kept', async () => {
    const share = shareWorkflowThread({ keepIdleMs: 1_000 });
    const known = await workerOn(share);
    const other = await workerOn(share, { ...createCanaryActivities(), extraActivity: async () => 'x' });
    try {
      expect(share.threads()).toBe(2);
    } finally {
      await Promise.all([known.runUntil(Promise.resolve()), other.runUntil(Promise.resolve())]);
    }
  });

  it('without keepIdleMs ends the thread with its last Worker, and refuses a Worker its thread cannot serve', async () => {
    const share = shareWorkflowThread();
    const started = await canaryOn(share);
    expect(started).toHaveLength(1);
    expect(share.threads()).toBe(0);
    await eventually(() => !workerThreads().has(started[0]!), 'the thread ended with its Worker', 10_000);

    const known = await workerOn(share);
    try {
      await expect(workerOn(share, { ...createCanaryActivities(), extraActivity: async () => 'x' })).rejects.toThrow(
        /shared workflow thread: create the Worker registering activities extraActivity first/,
      );
    } finally {
      await known.runUntil(Promise.resolve());
    }
  });
});
