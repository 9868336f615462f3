/**
 * One workflow thread for several Workers. The SDK gives every Worker that runs workflows a thread of
 * its own (a V8 isolate that loads the whole workflow bundle and its preloaded modules): ≈ 38 MB of
 * RSS each before a single workflow is cached, measured at idle in the benchmark's worker process. The
 * Workers that share a thread keep their own task queue, pollers, slots and workflow cache (so one
 * lane's workflows never evict another's); only the running of their activations is shared, one at a
 * time, in arrival order. So share a thread only between lanes whose activations are few or short:
 * the hot lane and the routing queues (bridge-workers.ts), never the orchestration worker's burst (the
 * tests put it on the same thread too: `workflowThreads: 'one'`, where a burst's speed is no question).
 *
 * The SDK builds a Worker's workflow runner in its protected static `createWorkflowCreator`; the
 * subclass here builds it once and hands every Worker it creates the same one, destroyed with the
 * last of them.
 */
import { Worker, type WorkerOptions } from '@temporalio/worker';

export interface WorkflowThreadShare {
  /** Worker.create, its workflows run on the thread this share owns. */
  create(options: WorkerOptions): Promise<Worker>;
}

export function shareWorkflowThread(): WorkflowThreadShare {
  class SharedThreadWorker extends Worker {
    private static shared: ReturnType<typeof Worker.createWorkflowCreator> | undefined;
    private static activityNames: ReadonlySet<string> = new Set();
    private static users = 0;

    protected static override async createWorkflowCreator(...args: Parameters<typeof Worker.createWorkflowCreator>): ReturnType<typeof Worker.createWorkflowCreator> {
      const names = [...args[1].activities.keys()];
      if (SharedThreadWorker.shared) {
        // The thread learns at start which activities its workflows may run locally: the first Worker's.
        const unknown = names.filter((n) => !SharedThreadWorker.activityNames.has(n));
        if (unknown.length) throw new Error(`shared workflow thread: create the Worker registering activities ${unknown.join(', ')} first (task queue ${args[1].taskQueue})`);
      } else {
        // The first Worker's options build the thread: the bundle and isolate settings are the same for all.
        SharedThreadWorker.activityNames = new Set(names);
        SharedThreadWorker.shared = super.createWorkflowCreator(...args);
      }
      const creator = await SharedThreadWorker.shared;
      SharedThreadWorker.users += 1;
      let released = false;
      return {
        createWorkflow: (options) => creator.createWorkflow(options),
        destroy: async () => {
          if (released) return;
          released = true;
          SharedThreadWorker.users -= 1;
          if (SharedThreadWorker.users > 0) return;
          SharedThreadWorker.shared = undefined;
          await creator.destroy();
        },
      };
    }
  }
  return { create: (options) => SharedThreadWorker.create(options) };
}
