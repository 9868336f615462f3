/**
 * The single way tests reach Temporal: the shared dev server, or a private time-skipping server, and
 * a worker on a unique task queue that is always shut down.
 */
import { randomUUID } from 'node:crypto';
import { SearchAttributeType } from '@temporalio/common';
import proto from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import { createBridgeWorker } from '../../worker/create-worker';
import { shareWorkflowThread } from '../../worker/shared-workflow-thread';
import { SEARCH_ATTRIBUTES } from '../../api/search-attributes';

const INDEXED_TYPE = proto.temporal.api.enums.v1.IndexedValueType;
const INDEXED: Record<SearchAttributeType, proto.temporal.api.enums.v1.IndexedValueType> = {
  [SearchAttributeType.TEXT]: INDEXED_TYPE.INDEXED_VALUE_TYPE_TEXT,
  [SearchAttributeType.KEYWORD]: INDEXED_TYPE.INDEXED_VALUE_TYPE_KEYWORD,
  [SearchAttributeType.INT]: INDEXED_TYPE.INDEXED_VALUE_TYPE_INT,
  [SearchAttributeType.DOUBLE]: INDEXED_TYPE.INDEXED_VALUE_TYPE_DOUBLE,
  [SearchAttributeType.BOOL]: INDEXED_TYPE.INDEXED_VALUE_TYPE_BOOL,
  [SearchAttributeType.DATETIME]: INDEXED_TYPE.INDEXED_VALUE_TYPE_DATETIME,
  [SearchAttributeType.KEYWORD_LIST]: INDEXED_TYPE.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

/** The run's dev server (SQLite visibility, search attributes registered). */
export function devServerEnv(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createFromExistingServer({ address: inject('temporalAddress') });
}

/**
 * A private time-skipping server (timers of days complete in milliseconds) with the project's search
 * attributes registered, as the dev server has them.
 */
export async function timeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: inject('temporalTestServerPath') } },
  });
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(SEARCH_ATTRIBUTES.map((key) => [key.name, INDEXED[key.type]])),
  });
  return env;
}

/**
 * The workflow thread every test worker of this process runs on (one per set of registered
 * activities), kept 10 s after its last worker shuts down for the next test's: the suite starts
 * workers for almost every case, and each thread's start costs 0.6–1 s of CPU. Tests that measure
 * the production layout (`productionThreads`) start threads of their own.
 */
export const TEST_WORKFLOW_THREAD = shareWorkflowThread({ keepIdleMs: 10_000 });

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
    workflowThread: TEST_WORKFLOW_THREAD,
  });
  return worker.runUntil(fn({ taskQueue, worker }));
}
