/**
 * The one way the bridge builds a Temporal worker, for production, `npm start` and tests alike.
 */
import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

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
}

export async function createBridgeWorker(options: BridgeWorkerOptions): Promise<Worker> {
  const workflows: Partial<WorkerOptions> = options.activitiesOnly
    ? {}
    : options.workflowBundle
      ? { workflowBundle: options.workflowBundle }
      : { workflowsPath: WORKFLOWS_PATH };
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace ?? 'default',
    taskQueue: options.taskQueue,
    activities: options.activities,
    ...workflows,
    ...options.overrides,
  });
}
