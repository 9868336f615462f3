/**
 * The one way the bridge builds a Temporal worker, for production, `npm start` and tests alike.
 */
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { tuneWorkflowHeaps } from './heap-tuning';
import type { WorkflowThreadShare } from './shared-workflow-thread';
import { workflowBundlerOptions, WORKFLOWS_PATH } from './workflow-bundle-options';

export { WORKFLOWS_PATH };

export interface BridgeWorkerOptions {
  connection: NativeConnection;
  namespace?: string;
  taskQueue: string;
  activities?: object;
  /** A prebuilt bundle (production, tests); the workflows are bundled from source when unset. */
  workflowBundle?: { code: string } | { codePath: string };
  /** Only activities, no workflows (the CRM task queues). */
  activitiesOnly?: boolean;
  overrides?: Partial<WorkerOptions>;
  /** Runs the workflows on a thread shared with other Workers (shared-workflow-thread.ts); a thread of its own when unset. */
  workflowThread?: WorkflowThreadShare;
}

export async function createBridgeWorker(options: BridgeWorkerOptions): Promise<Worker> {
  const workflows: Partial<WorkerOptions> = options.activitiesOnly
    ? {}
    : options.workflowBundle
      ? { workflowBundle: options.workflowBundle }
      : { workflowsPath: WORKFLOWS_PATH, bundlerOptions: workflowBundlerOptions(options.overrides?.workflowsPath ?? WORKFLOWS_PATH) };
  // Before the workflow thread exists: its heap is sized when it starts.
  if (!options.activitiesOnly) tuneWorkflowHeaps();
  const thread = options.activitiesOnly ? undefined : options.workflowThread;
  const create = (o: WorkerOptions): Promise<Worker> => (thread ? thread.create(o) : Worker.create(o));
  return create({
    connection: options.connection,
    namespace: options.namespace ?? 'default',
    taskQueue: options.taskQueue,
    activities: options.activities,
    ...workflows,
    ...options.overrides,
  });
}
