/**
 * The routing queue on the dev server: batches of questions, each request id answered once (a retried
 * request in a later batch gets its first answer and takes no turn), hot leads on a rotation of their own.
 */
import { WithStartWorkflowOperation } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadContract, presetPath } from '../mappings/load';
import { POOL_CHANGES_KEPT, poolReportOf, rotationPolicyOf, type PoolState } from '../mappings/routing';
import type { AssignRepsRequest, RepChoice, RoutingRequest } from '../api/routing';
import { assignRepsUpdate } from '../workflows/routing-queue';
import { poolReportSignal, poolStateQuery } from '../workflows/routing-pool';
import { eventually, workAroundTheClock } from './helpers/handoff';
import { devServerEnv, uniqueTaskQueue, withWorker } from './helpers/temporal';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await devServerEnv();
});
afterAll(async () => {
  await env?.teardown();
});

const contract = loadContract(presetPath('default'));
workAroundTheClock(contract);
contract.routing.policy = 'round_robin';
const policy = rotationPolicyOf(contract);
const reps = contract.routing.reps.map((r) => r.id);
const ask = (requestId: string, hot = false): RoutingRequest => ({ requestId, lead: {}, hot, exclude: [], now: new Date().toISOString() });

it('answers a retried request id with its first answer, and rotates hot leads on their own', async () => {
  const taskQueue = uniqueTaskQueue('routing');
  const workflowId = `routing-test-${taskQueue}`;
  await withWorker(env, { taskQueue }, async () => {
    const send = (requests: RoutingRequest[]): Promise<RepChoice[]> =>
      env.client.workflow.executeUpdateWithStart(assignRepsUpdate, {
        args: [{ policy, requests } satisfies AssignRepsRequest],
        startWorkflowOperation: new WithStartWorkflowOperation('routingQueue', { workflowId, taskQueue, args: [{ portalId: 'test' }], workflowIdConflictPolicy: 'USE_EXISTING' }),
      });
    const first = await send([ask('n1'), ask('n2'), ask('h1', true)]);
    // Hot first within the batch (turn 1), on its own ring (the first rep); the normal ring starts over.
    expect(first.map((c) => c.rep?.id)).toEqual([reps[0], reps[1], reps[0]]);
    expect(first.map((c) => (c.rep ? c.turn : 0))).toEqual([2, 3, 1]);

    const second = await send([ask('n2'), ask('n3'), ask('h1', true), ask('h2', true)]);
    expect(second[0]).toEqual(first[1]);
    expect(second[2]).toEqual(first[2]);
    expect(second.map((c) => c.rep?.id)).toEqual([reps[1], reps[2], reps[0], reps[1]]);
    await env.client.workflow.getHandle(workflowId).terminate('test done');
  });
});

it('keeps the routing pool and its changes across continue-as-new, and ignores a report it already holds', async () => {
  const taskQueue = uniqueTaskQueue('routing-pool');
  const workflowId = `routing-test-${taskQueue}`;
  // Large teams (2,000 members, ≈ 120 KB a report) so a few changed reads pass the run's history limit.
  const read = (i: number) =>
    poolReportOf(
      {
        crm: 'hubspot',
        group: 'SDRs',
        groupId: '7',
        readAt: new Date(Date.UTC(2026, 11, 4, 10, i)).toISOString(),
        members: Array.from({ length: 2_000 }, (_, m) => ({ id: String(10_000 + m), name: `Member ${m}`, isActive: m !== i, outOfOffice: false })),
      },
      contract.routing.reps,
    );
  await withWorker(env, { taskQueue }, async () => {
    const report = (i: number) => env.client.workflow.signalWithStart('routingQueue', { workflowId, taskQueue, args: [{ portalId: 'test' }], signal: poolReportSignal, signalArgs: [read(i)] });
    const first = await report(0);
    const firstRun = (await first.describe()).runId;
    await report(0);
    const handle = env.client.workflow.getHandle(workflowId);
    // The repeat is ignored: one change, the first read.
    expect((await eventually(() => handle.query(poolStateQuery), 'the first report')).changes).toHaveLength(1);
    // Changed reads until the run passes its history limit (how many depends on the payload codec's
    // compression, so the test reads the run id rather than assuming a count).
    let reads = 0;
    while ((await handle.describe()).runId === firstRun && reads < 200) await report(++reads);
    const carried: PoolState = await eventually(async () => ((await handle.describe()).runId !== firstRun ? await handle.query(poolStateQuery) : undefined), 'the queue rolls over');
    expect(reads).toBeGreaterThan(1);
    expect(carried.current.digest).toBe(read(reads).digest);
    // The first read once, then per read: member i-1 unarchived, member i archived; the last 50 kept.
    const changes = 1 + 2 * reads;
    expect(carried.changes).toHaveLength(Math.min(POOL_CHANGES_KEPT, changes));
    if (changes <= POOL_CHANGES_KEPT) expect(carried.changes[0]?.change).toBe('read HubSpot team SDRs: 2000 member(s), 0 rep(s) routable, 3 kept out');
    expect(carried.changes.at(-2)).toEqual({ at: read(reads).snapshot.readAt, change: `Member ${reads - 1} (${10_000 + reads - 1}) unarchived in HubSpot` });
    expect(carried.changes.at(-1)).toEqual({ at: read(reads).snapshot.readAt, change: `Member ${reads} (${10_000 + reads}) archived in HubSpot` });
    await handle.terminate('test done');
  });
});
