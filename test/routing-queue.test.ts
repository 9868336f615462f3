/**
 * The routing queue on the dev server: batches of questions, each request id answered once (a retried
 * request in a later batch gets its first answer and takes no turn), hot leads on a rotation of their own.
 */
import { WithStartWorkflowOperation } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadContract, presetPath } from '../mappings/load';
import { rotationPolicyOf } from '../mappings/routing';
import type { AssignRepsRequest, RepChoice, RoutingRequest } from '../api/routing';
import { assignRepsUpdate } from '../workflows/routing-queue';
import { workAroundTheClock } from './helpers/handoff';
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
