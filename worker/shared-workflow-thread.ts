/**
 * One workflow thread for several Workers. The SDK gives every Worker that runs workflows a thread of
 * its own (a V8 isolate that loads the whole workflow bundle and its preloaded modules): ≈ 38 MB of
 * RSS each before a single workflow is cached, measured at idle in the benchmark's worker process, and
 * 0.6–1 s of CPU to start. The Workers that share a thread keep their own task queue, pollers, slots
 * and workflow cache (so one lane's workflows never evict another's); only the running of their
 * activations is shared, one at a time, in arrival order: a lane sharing a thread waits behind the
 * others' activations at every step, so the worker's own lanes each keep a thread of their own
 * (bridge-workers.ts: the hot lane sharing with the routing queues cost its alerts 0.3 s at 10,000
 * leads). The tests share one with every set of workers they start, and keep it between them
 * (`keepIdleMs`), where a burst's speed is no question.
 *
 * The SDK builds a Worker's workflow runner in its protected static `createWorkflowCreator`; the
 * subclass here builds it once and hands every Worker it creates the same one, destroyed with the
 * last of them (or `keepIdleMs` after it, unless another Worker takes it meanwhile).
 */
import { Worker, type ReplayHistoriesIterable, type ReplayResult, type ReplayWorkerOptions, type WorkerOptions } from '@temporalio/worker';
import type { WorkflowCreator } from '@temporalio/worker/lib/workflow/interface';

export interface WorkflowThreadShare {
  /** Worker.create, its workflows run on a thread this share owns. */
  create(options: WorkerOptions): Promise<Worker>;
  /**
   * Worker.runReplayHistories, its workflows run on the thread of the Workers created before with the
   * same bundle (a replay registers no activities), or on a thread of its own when the share has none.
   */
  replay(options: ReplayWorkerOptions, histories: ReplayHistoriesIterable): AsyncIterableIterator<ReplayResult>;
  /** How many threads the share holds now (each with its Workers, or kept idle). */
  threads(): number;
}

export interface WorkflowThreadShareOptions {
  /**
   * How long a thread outlives its last Worker, for the next Worker to take. For a process that
   * creates and shuts down Workers over and over (the test suite), which then pays one thread's start
   * instead of one per set of Workers. 0 (the default): the thread ends with its last Worker.
   */
  keepIdleMs?: number;
}

interface Thread {
  /** The bundle it loaded and the activities its workflows may run locally: the first Worker's. */
  code: string;
  activityNames: ReadonlySet<string>;
  creator: Promise<WorkflowCreator>;
  users: number;
  idle?: NodeJS.Timeout;
}

export function shareWorkflowThread(options: WorkflowThreadShareOptions = {}): WorkflowThreadShare {
  const keepIdleMs = options.keepIdleMs ?? 0;
  const threads: Thread[] = [];
  const end = (thread: Thread): Promise<void> => {
    threads.splice(threads.indexOf(thread), 1);
    return thread.creator.then((creator) => creator.destroy());
  };

  class SharedThreadWorker extends Worker {
    protected static override async createWorkflowCreator(...args: Parameters<typeof Worker.createWorkflowCreator>): Promise<WorkflowCreator> {
      const [bundle, compiled] = args;
      const names = [...compiled.activities.keys()];
      // A Worker may join a thread that loaded its bundle and knows every activity it registers.
      let thread = threads.find((t) => t.code === bundle.code && names.every((n) => t.activityNames.has(n)));
      if (!thread) {
        if (threads.length > 0 && keepIdleMs === 0) {
          throw new Error(`shared workflow thread: create the Worker registering activities ${names.filter((n) => !threads[0]!.activityNames.has(n)).join(', ')} first (task queue ${compiled.taskQueue})`);
        }
        const created: Thread = { code: bundle.code, activityNames: new Set(names), creator: super.createWorkflowCreator(...args), users: 0 };
        created.creator.catch(() => threads.includes(created) && threads.splice(threads.indexOf(created), 1));
        threads.push(created);
        thread = created;
      }
      clearTimeout(thread.idle);
      thread.users += 1;
      const taken = thread;
      const creator = await taken.creator;
      let released = false;
      return {
        createWorkflow: (o) => creator.createWorkflow(o),
        destroy: async () => {
          if (released) return;
          released = true;
          taken.users -= 1;
          if (taken.users > 0) return;
          if (keepIdleMs === 0) return end(taken);
          // Unref'd: a kept thread holds the process open for its idle time at most.
          taken.idle = setTimeout(() => {
            end(taken).catch((err: unknown) => process.emitWarning(`shared workflow thread: ending an idle thread failed: ${err instanceof Error ? err.message : String(err)}`));
          }, keepIdleMs).unref();
        },
      };
    }
  }
  return {
    create: (o) => SharedThreadWorker.create(o),
    replay: (o, histories) => SharedThreadWorker.runReplayHistories(o, histories),
    threads: () => threads.length,
  };
}
