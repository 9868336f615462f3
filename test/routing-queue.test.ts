/**
 * The routing queue on the dev server: batches of questions, each request id answered once (a retried
 * request in a later batch gets its first answer and takes no turn), hot leads on a rotation of their own.
 */
import { WithStartWorkflowOperation } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadContract, presetPath } from '../mappings/load';
import { POOL_CHANGES_KEPT, poolReportOf, rotationPolicyOf, type PoolState } from '../mappings/routing';
import { RELEASE_SLOT_SIGNAL, type AssignRepsRequest, type RepChoice, type RoutingRequest } from '../api/routing';
import { temporal } from '@temporalio/proto';
import type { HistoryBudget } from '../mappings/routing';
import { isRunFull, sendUntilTaken } from '../activities/routing';
import { assignRepsUpdate } from '../workflows/routing-queue';
import { fitAnswer } from '../workflows/routing-budget';
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

/** Asks the queue `workflowId` (started on `taskQueue` if need be) a batch of requests, as assignLead does. */
const asker =
  (workflowId: string, taskQueue: string) =>
  (requests: RoutingRequest[]): Promise<RepChoice[]> =>
    env.client.workflow.executeUpdateWithStart(assignRepsUpdate, {
      args: [{ policy, requests } satisfies AssignRepsRequest],
      startWorkflowOperation: new WithStartWorkflowOperation('routingQueue', { workflowId, taskQueue, args: [{ portalId: 'test' }], workflowIdConflictPolicy: 'USE_EXISTING' }),
    });

it('answers a retried request id with its first answer, and rotates hot leads on their own', async () => {
  const taskQueue = uniqueTaskQueue('routing');
  const workflowId = `routing-test-${taskQueue}`;
  await withWorker(env, { taskQueue }, async () => {
    const send = asker(workflowId, taskQueue);
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

it('logs and ignores a releaseSlot signal it cannot read, and keeps answering (a throwing handler would stop every assignment)', async () => {
  const taskQueue = uniqueTaskQueue('routing-malformed');
  const workflowId = `routing-test-${taskQueue}`;
  await withWorker(env, { taskQueue }, async () => {
    const send = asker(workflowId, taskQueue);
    expect((await send([ask('m1')])).map((c) => c.rep?.id)).toEqual([reps[0]]);
    const handle = env.client.workflow.getHandle(workflowId);
    await handle.signal(RELEASE_SLOT_SIGNAL);
    await handle.signal(RELEASE_SLOT_SIGNAL, { handoffId: 'handoff:test:m1', repId: reps[0], why: 'lost' });
    const next = await Promise.race([send([ask('m2')]), new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the queue stopped answering')), 20_000))]);
    expect(next.map((c) => c.rep?.id)).toEqual([reps[1]]);
    const { events } = await handle.fetchHistory();
    expect(events?.filter((e) => e.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED)).toEqual([]);
    await handle.terminate('test done');
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

it('keeps every run under its history budget under many concurrent batches, answering each request once and in rotation', async () => {
  const taskQueue = uniqueTaskQueue('routing-budget');
  const workflowId = `routing-test-${taskQueue}`;
  // A budget small enough that 60 batches of 5 fill several runs (the default is 896 KB / 192 KB).
  const historyBudget: HistoryBudget = { runBytes: 96 * 1024, updateBytes: 16 * 1024 };
  const SENDERS = 6; // under the server's 10 updates in flight per workflow
  const BATCHES = 10; // per sender
  await withWorker(env, { taskQueue }, async () => {
    let refused = 0;
    const send = (requests: RoutingRequest[]): Promise<RepChoice[]> =>
      sendUntilTaken(async () => {
        try {
          return await env.client.workflow.executeUpdateWithStart(assignRepsUpdate, {
            args: [{ policy, requests } satisfies AssignRepsRequest],
            startWorkflowOperation: new WithStartWorkflowOperation('routingQueue', {
              workflowId,
              taskQueue,
              args: [{ portalId: 'test', historyBudget }],
              workflowIdConflictPolicy: 'USE_EXISTING',
            }),
          });
        } catch (error) {
          if (isRunFull(error)) refused += 1;
          throw error;
        }
      });
    const first = new Map<string, RepChoice>();
    const retried: Array<{ id: string; choice: RepChoice }> = [];
    await Promise.all(
      Array.from({ length: SENDERS }, async (_, s) => {
        let previous: string | undefined;
        for (let b = 0; b < BATCHES; b++) {
          // Four new requests (every fifth batch one of them hot) and, after the first batch, the
          // sender's last request again: a retry of a request answered just before.
          const fresh = Array.from({ length: 4 }, (_, i) => ask(`s${s}-b${b}-r${i}`, i === 0 && b % 5 === 0));
          const batch = previous ? [...fresh, ask(previous)] : fresh;
          const choices = await send(batch);
          batch.forEach((request, i) => {
            const choice = choices[i];
            if (!choice) throw new Error(`no answer for ${request.requestId}`);
            if (request.requestId === previous) retried.push({ id: request.requestId, choice });
            else first.set(request.requestId, choice);
          });
          previous = fresh.at(-1)?.requestId;
        }
      }),
    );

    // Every run stayed under its budget, and there were several.
    const runs: number[] = [];
    for await (const execution of env.client.workflow.list({ query: `WorkflowId = "${workflowId}"` })) {
      const described = await env.client.workflow.getHandle(workflowId, execution.runId).describe();
      runs.push(Number(described.raw.workflowExecutionInfo?.historySizeBytes ?? 0));
    }
    expect(runs.length).toBeGreaterThan(2);
    expect(Math.max(...runs)).toBeLessThanOrEqual(historyBudget.runBytes);

    // Every request answered with a rep, each turn taken once: 1..N over all new requests.
    const answers = [...first.entries()];
    expect(answers).toHaveLength(SENDERS * BATCHES * 4);
    const turns = answers.map(([, c]) => (c.rep ? c.turn : 0)).sort((a, b) => a - b);
    expect(turns).toEqual(Array.from({ length: answers.length }, (_, i) => i + 1));
    // Each lane, in the order of its turns, goes round the reps: r0, r1, r2, r0, ...
    const isHot = (id: string) => id.endsWith('-r0') && /-b[05]-/.test(id);
    for (const hot of [true, false]) {
      const lane = answers.filter(([id]) => isHot(id) === hot);
      const owners = lane.sort(([, a], [, b]) => (a.rep ? a.turn : 0) - (b.rep ? b.turn : 0)).map(([, c]) => c.rep?.id);
      expect(owners).toEqual(owners.map((_, i) => reps[i % reps.length]));
    }
    // A retried request got its first answer back, across roll-overs too.
    expect(retried).toHaveLength(SENDERS * (BATCHES - 1));
    for (const { id, choice } of retried) expect(choice).toEqual(first.get(id));
    if (process.env.DEBUG_BUDGET) console.log(`routing budget test: ${runs.length} runs, largest ${Math.max(...runs)} bytes, ${refused} refused update(s)`);
    await env.client.workflow.getHandle(workflowId).terminate('test done');
  });
});

it('cuts an answer to the size the budget counts on (512 bytes), saying how much it left out', () => {
  const skipped = Array.from({ length: 40 }, (_, i) => `Rep ${i} skipped: at daily cap (5/5 new leads today)`);
  const long = fitAnswer({ rep: { id: '005A', name: 'Jordan Lee' }, turn: 7, skipped });
  const size = (value: unknown) => Buffer.byteLength(JSON.stringify(value));
  expect(size(long)).toBeLessThanOrEqual(512);
  if (!long.rep) throw new Error('the rep was lost');
  const kept = (long.skipped ?? []).slice(0, -1);
  expect(kept).toEqual(skipped.slice(0, kept.length));
  expect(long.skipped?.at(-1)).toBe(`and ${40 - kept.length} more`);
  const reason = `no rep available: ${skipped.join(', ')}`;
  const none = fitAnswer({ rep: null, reason, retryAt: '2026-12-05T09:00:00.000Z' });
  expect(size(none)).toBeLessThanOrEqual(512);
  expect(none).toMatchObject({ rep: null, retryAt: '2026-12-05T09:00:00.000Z' });
  expect(none.reason?.endsWith('…')).toBe(true);
  expect(reason.startsWith(none.reason?.slice(0, -1) ?? '?')).toBe(true);
  // A typical answer passes unchanged.
  const short = { rep: { id: '005A', name: 'Jordan Lee' }, turn: 7, skipped: skipped.slice(0, 2) };
  expect(fitAnswer(short)).toBe(short);
});
