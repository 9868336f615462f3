/**
 * The hot lane's thread is warmed at start by replaying the recorded priority handoff on it
 * (worker/hot-lane-warm-up.ts): the replays run on the thread of the Worker created before them (its
 * CPU time grows, no thread is added), a refused replay or a missing history is reported rather than
 * thrown, and the production layout warms its hot lane while the tests' shared thread is left alone.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createCanaryActivities } from '../activities/canary';
import { createBridgeWorker } from '../worker/create-worker';
import { HOT_LANE_WARM_UP_REPLAYS, warmHotLane } from '../worker/hot-lane-warm-up';
import { shareWorkflowThread } from '../worker/shared-workflow-thread';
import { assignBeforeRead } from './handoff-paths';
import { useDevServerHarness, withHandoffWorkers } from './helpers/handoff';
import { devServerEnv, uniqueTaskQueue } from './helpers/temporal';
import { added, workerThreads } from './helpers/threads';

const bundle = () => ({ codePath: inject('workflowBundlePath') });

/** CPU time a thread of this process has used, in clock ticks (utime + stime, /proc/self/task/<id>/stat). */
function cpuTicks(threadId: string): number {
  const stat = readFileSync(`/proc/self/task/${threadId}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

describe('warmHotLane', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await devServerEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  /** Runs `fn` with a share holding one Worker's thread (the Worker never polls); returns that thread's id too. */
  async function onAWorkersThread<T>(fn: (share: ReturnType<typeof shareWorkflowThread>, threadId: string) => Promise<T>): Promise<T> {
    const share = shareWorkflowThread();
    const before = workerThreads();
    const worker = await createBridgeWorker({ connection: env.nativeConnection, taskQueue: uniqueTaskQueue('warm-up'), activities: createCanaryActivities(), workflowBundle: bundle(), workflowThread: share });
    try {
      const [threadId] = added(before, workerThreads());
      if (threadId === undefined) throw new Error('the Worker started no workflow thread');
      return await fn(share, threadId);
    } finally {
      await worker.runUntil(Promise.resolve());
    }
  }

  it("replays the recorded priority handoff on the Worker's thread, adding none", async () => {
    await onAWorkersThread(async (share, threadId) => {
      const [ticks, threads] = [cpuTicks(threadId), workerThreads()];
      const warmed = await warmHotLane({ thread: share, workflowBundle: bundle() });
      expect(warmed).toEqual({ replays: HOT_LANE_WARM_UP_REPLAYS, ms: expect.any(Number) as number });
      expect(cpuTicks(threadId)).toBeGreaterThan(ticks);
      expect(added(threads, workerThreads())).toEqual([]);
      expect(share.threads()).toBe(1);
    });
  });

  it('reports a replay the current code refuses, and a history that is not there, without throwing', async () => {
    // A handoff whose code assigned before reading the contact: today's code reads first.
    const history = JSON.parse(readFileSync(new URL('./fixtures/lead-handoff-reassigned.history.json', import.meta.url), 'utf8')) as { events: Parameters<typeof assignBeforeRead>[0] };
    assignBeforeRead(history.events);
    const dir = await mkdtemp(join(tmpdir(), 'warm-up-'));
    const reordered = join(dir, 'reordered.history.json');
    writeFileSync(reordered, JSON.stringify(history));

    await onAWorkersThread(async (share) => {
      const refused = await warmHotLane({ thread: share, workflowBundle: bundle(), history: reordered, replays: 2 });
      expect(refused).toEqual({ failed: expect.stringMatching(/^hot-lane-warm-up-1: .*Nondeterminism error: Activity type of scheduled event 'assignLead'/) as string, ms: expect.any(Number) as number });
      const missing = await warmHotLane({ thread: share, workflowBundle: bundle(), history: join(dir, 'none.json') });
      expect(missing).toEqual({ failed: expect.stringContaining('ENOENT') as string, ms: expect.any(Number) as number });
      // The lane's thread outlives a failed warm-up: the Worker still holds it.
      expect(share.threads()).toBe(1);
    });
  });
});

describe('the bridge workers', () => {
  const harness = useDevServerHarness();

  it('warm their hot lane when it has a thread of its own, and leave a shared thread alone', async () => {
    const own = await withHandoffWorkers(harness.env(), harness.h(), async (ctx) => ctx.hotLaneWarmUp, { productionThreads: true });
    expect(own).toEqual({ replays: HOT_LANE_WARM_UP_REPLAYS, ms: expect.any(Number) as number });
    const shared = await withHandoffWorkers(harness.env(), harness.h(), async (ctx) => ctx.hotLaneWarmUp);
    expect(shared).toBeUndefined();
  });
});
