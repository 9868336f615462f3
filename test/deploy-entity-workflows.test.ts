/**
 * A deploy over the long-lived entity workflows, on the dev server with versioned workers: v1 runs a
 * portal's routing queue, contract registry, call budget keeper and status watcher next to an open
 * handoff; v2 becomes the current version; each entity continues as new onto v2 with its state, and
 * the only workflow left running on v1 is the handoff, pinned there until it ends.
 */
import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import { decodeVersioningBehavior, defaultPayloadConverter } from '@temporalio/common';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { rotationPolicyOf } from '../mappings/routing';
import { epochMs, EPOCHS_PER_WINDOW, type BudgetLimit, type EpochGrant } from '../mappings/crm';
import type { AnsweredRequest, AssignRepsRequest, RepChoice, RoutingRequest } from '../api/routing';
import { CONTRACT_VERSIONS_QUERY, contractRegistryWorkflowId, type RegisteredVersion } from '../api/contract-registry';
import { callBudgetWorkflowId, routingQueueWorkflowId, routingTaskQueue, statusWatcherWorkflowId } from '../api/ids';
import { contractHash, registerContract } from '../activities/contract';
import { keeperLease } from '../worker/shared-call-budgets';
import { setCurrentVersion, versionedWorkerOptions } from '../worker/deployment-version';
import { assignRepsUpdate, recentAssignmentsQuery, type routingQueue } from '../workflows/routing-queue';
import { salesforceStatusWatcher } from '../workflows/status-watcher';
import { devServerEnv } from './helpers/temporal';
import { eventually, startHandoffHarness, startHandoffOf, withHandoffWorkers, workAroundTheClock, type HandoffHarness } from './helpers/handoff';

let env: TestWorkflowEnvironment;
let h: HandoffHarness;
beforeAll(async () => {
  [env, h] = await Promise.all([
    devServerEnv(),
    startHandoffHarness({
      tweak: (contract) => {
        workAroundTheClock(contract);
        contract.routing.policy = 'round_robin';
      },
    }),
  ]);
});
afterAll(async () => {
  await Promise.all([h?.stop(), env?.teardown()]);
});

interface Placement {
  runId: string;
  buildId: string | undefined;
  behavior: string;
  status: string;
}

/** Where a workflow's latest run is: its run, the version it runs on and how it is bound there. */
async function placement(client: Client, workflowId: string): Promise<Placement> {
  const { raw, runId, status } = await client.workflow.getHandle(workflowId).describe();
  const versioning = raw.workflowExecutionInfo?.versioningInfo;
  return {
    runId,
    buildId: versioning?.deploymentVersion?.buildId ?? undefined,
    behavior: decodeVersioningBehavior(versioning?.behavior) ?? 'unversioned',
    status: status.name,
  };
}

/** The first run's input of `runId` (what continue-as-new carried into it). */
async function runInput<T>(client: Client, workflowId: string, runId: string): Promise<T> {
  const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  if (!payload) throw new Error(`run ${runId} of ${workflowId} has no input`);
  return defaultPayloadConverter.fromPayload<T>(payload);
}

/** Calls granted in the fullest run of EPOCHS_PER_WINDOW + 1 consecutive epochs (any window of the budget overlaps at most that many). */
function busiestWindow(grants: EpochGrant[]): number {
  const byEpoch = new Map<number, number>();
  for (const [epoch, calls] of grants) byEpoch.set(epoch, (byEpoch.get(epoch) ?? 0) + calls);
  const epochs = [...byEpoch.keys()];
  let busiest = 0;
  for (const start of epochs) {
    let sum = 0;
    for (let e = start; e <= start + EPOCHS_PER_WINDOW; e += 1) sum += byEpoch.get(e) ?? 0;
    busiest = Math.max(busiest, sum);
  }
  return busiest;
}

const PINNED = 'PINNED';

it('moves the routing queue, contract registry, budget keeper and status watcher to the new version with their state; the open handoff stays on v1', async () => {
  const client = env.client;
  const taskQueue = `deploy-entities-${randomUUID()}`;
  const deploymentName = `handoff-bridge-${randomUUID().slice(0, 8)}`;
  const [v1, v2] = ['v1-entities', 'v2-entities'];
  const versioned = (buildId: string) => ({ taskQueue, overrides: { workerDeploymentOptions: versionedWorkerOptions(deploymentName, buildId) } });
  const reps = h.contract.routing.reps.map((r) => r.id);
  const policy = rotationPolicyOf(h.contract);
  const queueId = routingQueueWorkflowId(h.portalId);
  const registryId = contractRegistryWorkflowId(taskQueue);
  const watcherId = statusWatcherWorkflowId(h.portalId);
  // 2 calls per 2.1 s: 105 ms epochs, so one busy holder's share fills every window of 21 epochs.
  const limit: BudgetLimit = { calls: 2, perMs: 2_100 };
  const keeperId = callBudgetWorkflowId(`hubspot-${limit.perMs}ms`, h.portalId);
  const lease = keeperLease(client, { taskQueue, system: 'hubspot', portalId: h.portalId, limit });
  // The keeper reads no clock: epochs are whatever the holders ask for.
  const epochs = { fromEpoch: 1_000_000, throughEpoch: 1_000_000 + Math.ceil(10_000 / epochMs(limit)) };
  const ask = (requestId: string): AssignRepsRequest => ({ policy, requests: [{ requestId, lead: {}, hot: false, exclude: [], now: new Date().toISOString() } satisfies RoutingRequest] });
  const assign = async (requestId: string): Promise<RepChoice> => {
    const [choice] = await client.workflow.executeUpdateWithStart(assignRepsUpdate, {
      args: [ask(requestId)],
      startWorkflowOperation: new WithStartWorkflowOperation<typeof routingQueue>('routingQueue', {
        workflowId: queueId,
        taskQueue: routingTaskQueue(taskQueue),
        args: [{ portalId: h.portalId }],
        workflowIdConflictPolicy: 'USE_EXISTING',
      }),
    });
    if (!choice?.rep) throw new Error(`request ${requestId} got no rep: ${JSON.stringify(choice)}`);
    return choice;
  };

  await withHandoffWorkers(
    env,
    h,
    async () => {
      await setCurrentVersion(client, deploymentName, v1);
      // An open handoff on v1: assigned through the routing queue (which it starts), its contract
      // version registered in the registry, then waiting for the rep.
      const contactId = h.createMql();
      const handoff = await startHandoffOf(env, h, taskQueue, contactId);
      await h.inbox.waitFor((alerts) => alerts.length >= 1, 30_000);
      const beforeSwitch = await assign('before-switch');
      await client.workflow.start(salesforceStatusWatcher, {
        workflowId: watcherId,
        taskQueue,
        args: [{ portalId: h.portalId, pollInterval: '1 second' }],
      });
      const g1 = await lease({ holder: 'process-a', busy: true, ...epochs }, new AbortController().signal);
      // A run is placed on a version by its first workflow task's completion: the watcher, just
      // started, may not have had it yet (CI once read it unversioned here).
      const onV1 = await eventually(
        async () => {
          const placed = await Promise.all([handoff.workflowId, queueId, registryId, keeperId, watcherId].map((id) => placement(client, id)));
          return placed.every((p) => p.buildId !== undefined) ? placed : undefined;
        },
        'the handoff and the four entity workflows placed on a version',
        20_000,
      );
      expect(onV1.map((p) => [p.buildId, p.behavior])).toEqual(Array(5).fill([v1, PINNED]));

      await withHandoffWorkers(
        env,
        h,
        async () => {
          await setCurrentVersion(client, deploymentName, v2);
          // Each entity learns of v2 in a workflow task (the watcher's own polls give it one every
          // second); a task dispatched before the new routing config reached its task queue still
          // sees v1, so each one is asked again, as traffic would, until it has moved. The task that
          // tells it is still answered on v1; the run then continues as new onto v2.
          const asked = { queue: [] as RepChoice[], hashes: [] as string[], keeper: [] as EpochGrant[][] };
          const movedAt = (p: Placement, i: number) => p.runId !== onV1[i + 1]?.runId && p.buildId === v2 && p.behavior === PINNED;
          let last: Placement[] = [];
          const moved = await eventually(
            async () => {
              last = await Promise.all([queueId, registryId, keeperId, watcherId].map((id) => placement(client, id)));
              if (last.every(movedAt)) return last;
              const round = asked.queue.length + asked.hashes.length + asked.keeper.length;
              if (!movedAt(last[0] as Placement, 0)) asked.queue.push(await assign(`while-moving-${round}`));
              if (!movedAt(last[1] as Placement, 1)) {
                const variant = structuredClone(h.contract);
                variant.handoff.syncGraceMinutes += round + 1;
                asked.hashes.push((await registerContract({ client, orchestrationQueue: taskQueue }, variant)).hash);
              }
              if (!movedAt(last[2] as Placement, 2)) asked.keeper.push(await lease({ holder: 'process-a', busy: true, ...epochs }, new AbortController().signal));
              await new Promise((resolve) => setTimeout(resolve, 200));
              return undefined;
            },
            'the four entity workflows run on v2, pinned there',
            30_000,
          ).catch((err: unknown) => {
            throw new Error(`${(err as Error).message}; they are at ${JSON.stringify(last)}`);
          });
          expect(moved.map((p) => p.status)).toEqual(Array(4).fill('RUNNING'));

          // On versioned workers an idle entity wakes hourly to hear of the next version (VERSION_CHECK_INTERVAL).
          for (const [i, id] of [queueId, registryId, keeperId].entries()) {
            const history = await client.workflow.getHandle(id, moved[i]?.runId).fetchHistory();
            const timers = (history.events ?? []).flatMap((e) => (e.timerStartedEventAttributes ? [Number(e.timerStartedEventAttributes.startToFireTimeout?.seconds)] : []));
            expect(timers, id).toEqual([3_600]);
          }

          // Routing: the rotation goes on where the old runs left it, and a request answered on v1 keeps its answer.
          const lastOnV1 = asked.queue.at(-1) ?? beforeSwitch;
          const afterSwitch = await assign('after-switch');
          const turnOf = (choice: RepChoice) => (choice.rep ? choice.turn : 0);
          expect(turnOf(afterSwitch)).toBe(turnOf(lastOnV1) + 1);
          const nextRep = (choice: RepChoice) => reps[(reps.indexOf(choice.rep?.id ?? '') + 1) % reps.length];
          expect(afterSwitch.rep?.id).toBe(nextRep(lastOnV1));
          expect(await assign('before-switch')).toEqual(beforeSwitch);
          const answered = await client.workflow.getHandle(queueId).query(recentAssignmentsQuery);
          expect(answered.map((a: AnsweredRequest) => a.requestId)).toEqual(expect.arrayContaining(['before-switch', 'after-switch']));

          // Registry: the version the handoff pinned on v1 and every one registered since.
          const versions = await client.workflow.getHandle(registryId).query<RegisteredVersion[]>(CONTRACT_VERSIONS_QUERY);
          expect(versions.map((v) => v.hash).sort()).toEqual([contractHash(h.contract), ...asked.hashes].sort());

          // Keeper: what it granted on v1 still counts. Another process asking for the same epochs
          // gets only what the windows have left, and the first is not granted its epochs twice.
          const g2 = await lease({ holder: 'process-b', busy: true, ...epochs }, new AbortController().signal);
          expect(g2.length).toBeGreaterThan(0);
          expect(busiestWindow(g1)).toBe(limit.calls);
          expect(busiestWindow([...g1, ...g2])).toBeLessThanOrEqual(limit.calls);
          for (const again of [...asked.keeper, await lease({ holder: 'process-a', busy: true, ...epochs }, new AbortController().signal)]) expect(again).toEqual([]);

          // Watcher: its cursor crossed over.
          const watcherInput = await runInput<{ cursor?: { since: string } }>(client, watcherId, moved[3]?.runId ?? '');
          expect(watcherInput.cursor?.since).toMatch(/^\d{4}-\d\d-\d\dT/);

          // The handoff stays on v1, and it is all that v1 still runs (what `describe-version` waits on to report it drained).
          expect(await placement(client, handoff.workflowId)).toMatchObject({ buildId: v1, behavior: PINNED, status: 'RUNNING' });
          const onV1Now = `TemporalWorkerDeploymentVersion = "${deploymentName}:${v1}" AND ExecutionStatus = "Running"`;
          await eventually(
            async () => {
              const types: string[] = [];
              for await (const wf of client.workflow.list({ query: onV1Now })) types.push(wf.type);
              return types.length === 1 && types[0] === 'leadHandoff';
            },
            'only the handoff runs on v1',
            20_000,
          );
          for (const id of [handoff.workflowId, queueId, registryId, keeperId, watcherId]) await client.workflow.getHandle(id).terminate('test done');
        },
        versioned(v2),
      );
    },
    versioned(v1),
  );
}, 120_000);
