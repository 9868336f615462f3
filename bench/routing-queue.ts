/**
 * Benchmark: one portal's routing queue answering batches of questions, as assignLead sends them
 * under a burst (several senders, each waiting for its answer before the next batch), on a Temporal
 * dev server with the queue's worker in this process. Prints, per round: the time, this process's
 * CPU (the worker: the queue's workflow thread and Core) and the server's, and from the queue's
 * histories its runs, workflow tasks and their time (sum and longest). Figures only, no assertions.
 *
 *   npx tsx bench/routing-queue.ts [--updates 300] [--batch 10] [--senders 4] [--rounds 3]
 *
 * The default contract's reps, working around the clock (every question takes a turn: the figure
 * does not depend on the hour it runs at), round robin.
 */
import { parseArgs } from 'node:util';
import { Client, Connection, WithStartWorkflowOperation } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { routingQueueWorkflowId } from '../api/ids';
import type { AssignRepsRequest, RoutingRequest } from '../api/routing';
import { loadContract, presetPath } from '../mappings/load';
import { rotationPolicyOf } from '../mappings/routing';
import { assignRepsUpdate } from '../workflows/routing-queue';
import { workflowBundleOptions } from '../worker/workflow-bundle-options';
import { cpuSeconds } from './support/cpu';
import { aroundTheClock } from './support/portal';
import { routingQueueRuns } from './support/routing-stats';
import { startTemporal } from './support/temporal';

const { values } = parseArgs({
  options: {
    updates: { type: 'string', default: '300' },
    batch: { type: 'string', default: '10' },
    senders: { type: 'string', default: '4' },
    rounds: { type: 'string', default: '3' },
  },
});
/** A positive whole number, or an error naming the option and what it was given. */
function count(option: keyof typeof values): number {
  const value = Number(values[option]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${option} must be a whole number of 1 or more, got ${JSON.stringify(values[option])}`);
  return value;
}
const [updates, batch, senders, rounds] = [count('updates'), count('batch'), count('senders'), count('rounds')];

Runtime.install({ logger: new DefaultLogger('WARN') });
const server = await startTemporal();
const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };
const workflowBundle = await bundleWorkflowCode(workflowBundleOptions({ logger: quiet }));
const workerConnection = await NativeConnection.connect({ address: server.address });
const client = new Client({ connection: await Connection.connect({ address: server.address }) });
const contract = loadContract(presetPath('default'));
aroundTheClock(contract);
const policy = rotationPolicyOf(contract);
const cpu = () => ({ worker: process.cpuUsage(), server: cpuSeconds(server.process.pid) ?? 0 });

try {
  console.log(`routing queue: ${updates} updates of ${batch} questions from ${senders} senders, ${rounds} rounds; ${contract.routing.reps.length} reps, round robin`);
  for (let round = 1; round <= rounds; round++) {
    // A fresh queue each round: a portal of its own, its worker on a task queue of the same name.
    const portalId = `routing-bench-${round}-${Date.now()}`;
    const taskQueue = portalId;
    const worker = await Worker.create({ connection: workerConnection, taskQueue, workflowBundle });
    const running = worker.run();
    const before = cpu();
    const started = performance.now();
    await Promise.all(
      Array.from({ length: senders }, async (_, s) => {
        for (let b = s; b < updates; b += senders) {
          const requests: RoutingRequest[] = Array.from({ length: batch }, (_, i) => ({
            requestId: `r${round}-b${b}-q${i}`,
            handoffId: `handoff:bench:${b}-${i}`,
            lead: {},
            hot: false,
            exclude: [],
            now: new Date().toISOString(),
          }));
          await client.workflow.executeUpdateWithStart(assignRepsUpdate, {
            args: [{ policy, requests } satisfies AssignRepsRequest],
            startWorkflowOperation: new WithStartWorkflowOperation('routingQueue', { workflowId: routingQueueWorkflowId(portalId), taskQueue, args: [{ portalId }], workflowIdConflictPolicy: 'USE_EXISTING' }),
          });
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const after = cpu();
    const workerCpu = process.cpuUsage(before.worker);
    const queue = await routingQueueRuns(client, portalId);
    console.log(
      `round ${round}: ${updates * batch} questions in ${seconds.toFixed(1)} s; CPU ${((workerCpu.user + workerCpu.system) / 1e6).toFixed(1)} s worker, ${(after.server - before.server).toFixed(1)} s server; ` +
        `${queue.runs} run(s), ${queue.workflowTasks} workflow tasks, ${(queue.workflowTaskMs / 1000).toFixed(1)} s in all, longest ${queue.longestWorkflowTaskMs} ms`,
    );
    worker.shutdown();
    await running;
  }
} finally {
  await server.stop();
}
