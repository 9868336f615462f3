/**
 * A priority lead's CRM call (an activity at the top task priority) lingers for no one and goes first
 * at the next request slot; a normal call waits out the batch window. The hot lane's local
 * activities (which carry no task priority) are urgent by their lane.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { expect, it } from 'vitest';
import { createCoalescingLoader, type BatchOutcome } from '../activities/crm';
import { hotTaskQueue } from '../api/ids';

/** A loader with a minute's batch window that records each batch it sends. */
function recordingLoader() {
  const batches: string[][] = [];
  const loader = createCoalescingLoader<string, string>({
    maxBatchSize: 100,
    windowMs: 60_000,
    runBatch: async (items) => {
      batches.push(items);
      return items.map((item): BatchOutcome<string> => ({ ok: true, value: item }));
    },
  });
  return { loader, batches };
}

it('sends an urgent call at once and first in its batch, while normal calls wait for the window', async () => {
  const { loader, batches } = recordingLoader();
  const normal = loader.load('normal-1');
  const inActivity = (priorityKey: number) => new MockActivityEnvironment({ priority: { priorityKey } });

  // An activity at the default priority is no more urgent than a call outside any activity.
  const third = inActivity(3).run(() => loader.load('normal-2'));
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(batches).toEqual([]);

  const urgent = await inActivity(1).run(() => loader.load('hot'));
  expect(urgent).toBe('hot');
  expect(batches).toEqual([['hot', 'normal-1', 'normal-2']]);
  await Promise.all([normal, third]);
});

it('takes a local activity on the hot lane as urgent (it has no task priority), and one on the main lane as normal', async () => {
  const { loader, batches } = recordingLoader();
  const local = (taskQueue: string) => new MockActivityEnvironment({ isLocal: true, taskQueue, priority: undefined });
  const mainLane = local('handoff').run(() => loader.load('main-lane'));
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(batches).toEqual([]);
  // The same queue's hot lane, as the workflow's info names it inside the handoff's local activity.
  expect(await local(hotTaskQueue('handoff')).run(() => loader.load('hot-lane'))).toBe('hot-lane');
  expect(batches).toEqual([['hot-lane', 'main-lane']]);
  await mainLane;
});
