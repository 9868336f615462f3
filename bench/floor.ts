/**
 * The floor, measured in the same run as the bridge: N bare workflows of the handoff's shape
 * (floor/floor-workflow.ts) started as the ingress starts handoffs (four webhook batches at a time,
 * STARTS_IN_FLIGHT starts at a time within a batch), on a server of the run's settings (bench/index.ts
 * gives it a dev server of its own, so that neither the floor nor the burst runs on the other's data),
 * by workers built and started as the bridge's are. Time from the first start until every one has
 * completed its activities: what Temporal and the worker alone cost for a burst of that size on this
 * machine.
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import { floorQueues, type FloorSpec, type FloorWorkflow } from './floor/floor-queues';
import { waitUntil } from './support/stats';
import { inPool, STARTS_IN_FLIGHT } from '../worker/start-pool';
import { startChildWorker } from './support/worker-process';
import { cpuMeter } from './support/cpu';
import { countTasks, historyEvents, type TaskCounts } from './support/history';
import { workflowBundleOptions } from '../worker/workflow-bundle-options';

const FLOOR_WORKFLOWS = fileURLToPath(new URL('./floor/floor-workflow.ts', import.meta.url));
const FLOOR_CHILD = fileURLToPath(new URL('./floor/floor-child.ts', import.meta.url));
const quiet = { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: (m: string) => console.error(m) };

export interface FloorOptions {
  client: Client;
  temporalAddress: string;
  scratchDir: string;
  workflows: number;
  timeoutMs: number;
  maxCachedWorkflows?: number;
  /** The server's process, for its CPU seconds (the dev server). */
  serverPid?: number;
  /** Niceness of the floor's worker process, as the bridge's main workers are run (`--worker-nice`). */
  workerNice?: number;
  /** The bare handoff (default), or it with a handoff's former visibility writes (bench/visibility-cost.ts). */
  workflowType?: FloorWorkflow;
}

export interface FloorResult {
  workflows: number;
  completed: number;
  allCompletedMs: number | undefined;
  /** CPU seconds from the first start until all completed: the floor's worker process and the server. */
  cpu: Record<string, number | undefined>;
  /** One floor workflow's history (they are all alike). */
  counts: TaskCounts | undefined;
}

export async function measureFloor(options: FloorOptions): Promise<FloorResult> {
  // Bundled as the bridge's workflows are (worker/workflow-bundle-options.ts): every module preloaded.
  const { code } = await bundleWorkflowCode({ ...workflowBundleOptions({ workflowsPath: FLOOR_WORKFLOWS }), logger: quiet });
  const bundlePath = join(options.scratchDir, `floor-bundle-${randomUUID()}.js`);
  writeFileSync(bundlePath, code);
  const taskQueue = `floor-${randomUUID()}`;
  const spec: FloorSpec = {
    temporalAddress: options.temporalAddress,
    taskQueue,
    bundlePath,
    ...(options.maxCachedWorkflows === undefined ? {} : { maxCachedWorkflows: options.maxCachedWorkflows }),
  };
  const worker = startChildWorker(FLOOR_CHILD, spec, { nice: options.workerNice ?? 0 });
  try {
    await worker.ready;
    const ids = Array.from({ length: options.workflows }, (_, i) => `${taskQueue}-${i}`);
    const batches: string[][] = [];
    for (let i = 0; i < ids.length; i += 100) batches.push(ids.slice(i, i + 100));
    const started = Date.now();
    const cpu = cpuMeter({ worker: worker.pid, server: options.serverPid });
    const send = async (): Promise<void> => {
      for (let batch = batches.shift(); batch; batch = batches.shift()) {
        await inPool(batch, STARTS_IN_FLIGHT, async (workflowId) => {
          await options.client.workflow.start(options.workflowType ?? 'floorHandoff', { workflowId, taskQueue, args: [floorQueues(taskQueue)] });
        });
      }
    };
    await Promise.all(Array.from({ length: 4 }, send));
    let completed = 0;
    let allCompletedMs: number | undefined;
    await waitUntil(async () => {
      completed = (await options.client.workflow.count(`TaskQueue = "${taskQueue}" AND ExecutionStatus = "Completed"`)).count;
      if (completed < options.workflows) return false;
      allCompletedMs = Date.now() - started;
      return true;
    }, options.timeoutMs, 250);
    const used = cpu();
    const counts = ids[0] === undefined ? undefined : countTasks(await historyEvents(options.client, ids[0]));
    return { workflows: options.workflows, completed, allCompletedMs, cpu: used, counts };
  } finally {
    await worker.stop();
  }
}
