/**
 * The one way the bridge builds a Temporal worker, for production, `npm start` and tests alike.
 */
import { NativeConnection, Worker, type InjectedSinks, type WorkerOptions } from '@temporalio/worker';
import type { WorkflowLoadSinks } from '../workflows/load-report';
import { tuneWorkflowHeaps } from './heap-tuning';
import type { WorkflowThreadShare } from './shared-workflow-thread';
import { WORKFLOW_INTERCEPTOR_MODULES, workflowBundlerOptions, WORKFLOWS_PATH } from './workflow-bundle-options';
import { admissionTuner, IGNORED_LOAD_REPORTS, type WorkflowAdmission } from './workflow-admission';

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
  /**
   * Admits new workflows only while the busy ones fit the cache (workflow-admission.ts): its slot
   * supplier takes the SDK's fixed 40 workflow task slots' place. Without it the workflows' load
   * reports go to `reportLoadTo`.
   */
  admission?: WorkflowAdmission;
  /**
   * Where this worker's workflows report their load when it has no admission of its own: the hot
   * lane's to the orchestration worker's admission (`prioritySinks`), which then holds its own
   * workflow tasks while a priority lead is in mid-step. Heard and dropped when unset.
   */
  reportLoadTo?: InjectedSinks<WorkflowLoadSinks>;
}

export async function createBridgeWorker(options: BridgeWorkerOptions): Promise<Worker> {
  const workflows: Partial<WorkerOptions> = options.activitiesOnly
    ? {}
    : options.workflowBundle
      ? { workflowBundle: options.workflowBundle }
      : {
          workflowsPath: WORKFLOWS_PATH,
          bundlerOptions: workflowBundlerOptions(options.overrides?.workflowsPath ?? WORKFLOWS_PATH),
          interceptors: { workflowModules: [...WORKFLOW_INTERCEPTOR_MODULES] },
        };
  // Every workflow of the bundle reports its load (workflows/load-report.ts): a sink each workflow worker registers.
  const load: Partial<WorkerOptions> = options.activitiesOnly
    ? {}
    : options.admission
      ? { sinks: options.admission.sinks, tuner: admissionTuner(options.admission) }
      : { sinks: options.reportLoadTo ?? IGNORED_LOAD_REPORTS };
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
    ...load,
    ...options.overrides,
  });
}
