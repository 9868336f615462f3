/**
 * The floor's workers in a process of their own, built as the bridge's are (createBridgeWorker: the
 * same heap tuning, workflow cache and CRM activity slots, started by worker-process.ts with the
 * image's memory settings), serving floor-workflow.ts and its no-op activities on three task queues.
 */
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { CRM_ACTIVITY_SLOTS } from '../../worker/bridge-workers';
import { DEFAULT_WORKFLOW_CACHE_SIZE } from '../../worker/config';
import { createBridgeWorker } from '../../worker/create-worker';
import { admissionForCache } from '../../worker/workflow-admission';
import { WORKER_SPEC_ENV, type ParentMessage, type WorkerMessage } from '../support/worker-spec';
import { createFloorActivities } from './floor-activities';
import { floorQueues, floorSpecSchema } from './floor-queues';

const tell = (message: WorkerMessage): void => void process.send?.(message);

Runtime.install({ logger: new DefaultLogger('ERROR') });
const spec = floorSpecSchema.parse(JSON.parse(process.env[WORKER_SPEC_ENV] ?? '{}'));
const connection = await NativeConnection.connect({ address: spec.temporalAddress });
const queues = floorQueues(spec.taskQueue);
const cacheSize = spec.maxCachedWorkflows ?? DEFAULT_WORKFLOW_CACHE_SIZE;
const activities = createFloorActivities();
const workers = [
  await createBridgeWorker({
    connection,
    taskQueue: spec.taskQueue,
    workflowBundle: { codePath: spec.bundlePath },
    activities,
    admission: admissionForCache(cacheSize),
    overrides: { maxCachedWorkflows: cacheSize },
  }),
  ...(await Promise.all(
    [queues.hubspotQueue, queues.salesforceQueue].map((taskQueue) =>
      createBridgeWorker({ connection, taskQueue, activitiesOnly: true, activities, overrides: { maxConcurrentActivityTaskExecutions: CRM_ACTIVITY_SLOTS } }),
    ),
  )),
];
process.on('message', (message: ParentMessage) => {
  if (message.type === 'memory') tell({ type: 'memory', rssBytes: process.memoryUsage.rss(), peakRssBytes: 0 });
  if (message.type === 'stop') for (const w of workers) w.shutdown();
});
const running = Promise.all(workers.map((w) => w.run()));
tell({ type: 'ready' });
await running;
await connection.close();
process.disconnect?.();
