/**
 * The single way tests reach Temporal: the shared dev server, or a private time-skipping server, and
 * a worker on a unique task queue that is always shut down.
 */
import { randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import { createBridgeWorker } from '../../worker/create-worker';

/** The run's dev server (SQLite visibility, search attributes registered). */
export function devServerEnv(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createFromExistingServer({ address: inject('temporalAddress') });
}

/** A private time-skipping server: timers of days complete in milliseconds. */
export function timeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: inject('temporalTestServerPath') } },
  });
}

export function uniqueTaskQueue(label = 'test'): string {
  return `${label}-${randomUUID()}`;
}

export interface TestWorkerOptions {
  activities?: object;
  taskQueue?: string;
}

/**
 * Runs `fn` while a worker polls a fresh task queue; the worker is shut down and awaited whatever
 * `fn` does.
 */
export async function withWorker<T>(
  env: TestWorkflowEnvironment,
  options: TestWorkerOptions,
  fn: (ctx: { taskQueue: string; worker: Worker }) => Promise<T>,
): Promise<T> {
  const taskQueue = options.taskQueue ?? uniqueTaskQueue();
  const worker = await createBridgeWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    activities: options.activities,
    workflowBundle: { codePath: inject('workflowBundlePath') },
  });
  return worker.runUntil(fn({ taskQueue, worker }));
}
