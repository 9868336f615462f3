/**
 * The hot lane split off into a worker process of its own (HANDOFF_WORKER_LANES): a 'main' process
 * polls none of the hot lane's task queues and a 'hot' one only those, and together they carry a
 * priority lead and a normal one to their reps (the hot one routed as hot by the main process's
 * routing queue). Both sets of workers run here in one test process, on the shared dev server.
 */
import { expect, it } from 'vitest';
import { hotTaskQueue, hubspotTaskQueue, routingQueueWorkflowId, routingTaskQueue, salesforceTaskQueue } from '../api/ids';
import { recentAssignmentsQuery } from '../workflows/routing-queue';
import { demoRequest, eventually, startHandoffOf, useDevServerHarness, withHandoffWorkers } from './helpers/handoff';

const harness = useDevServerHarness();

it('serves the hot lane from a process of its own: each lane polls only its queues, and both leads are assigned', async () => {
  const env = harness.env();
  const h = harness.h();
  const hotLead = h.createMql(demoRequest());
  const normalLead = h.createMql();
  await withHandoffWorkers(
    env,
    h,
    async ({ taskQueue, queues: mainQueues, workers }) => {
      const hot = hotTaskQueue(taskQueue);
      expect([...mainQueues].sort()).toEqual([taskQueue, routingTaskQueue(taskQueue), hubspotTaskQueue(taskQueue), salesforceTaskQueue(taskQueue)].sort());
      // The CRM workers send every heartbeat their waiting activities make (every 10 s), well inside
      // the 30 s heartbeat timeout; Core's default would hold them back 24 s.
      const crm = workers.filter((w) => [hubspotTaskQueue(taskQueue), salesforceTaskQueue(taskQueue)].includes(w.options.taskQueue));
      expect(crm.map((w) => w.options.maxHeartbeatThrottleIntervalMs)).toEqual([10_000, 10_000]);
      await withHandoffWorkers(
        env,
        h,
        async ({ queues: hotQueues }) => {
          expect([...hotQueues].sort()).toEqual([hot, hubspotTaskQueue(hot), salesforceTaskQueue(hot)].sort());
          await startHandoffOf(env, h, hot, hotLead);
          await startHandoffOf(env, h, taskQueue, normalLead);
          const queue = env.client.workflow.getHandle(routingQueueWorkflowId(h.portalId));
          const answered = await eventually(
            async () => {
              const recent = await queue.query(recentAssignmentsQuery).catch(() => []);
              const byContact = new Map(recent.filter((a) => a.choice.rep).map((a) => [a.requestId.split(':')[2] ?? '', a]));
              return byContact.has(hotLead) && byContact.has(normalLead) ? byContact : undefined;
            },
            'the hot and the normal lead assigned',
            60_000,
          );
          expect(answered.get(hotLead)?.hot).toBe(true);
          expect(answered.get(normalLead)?.hot).toBe(false);
        },
        { taskQueue, lanes: 'hot' },
      );
    },
    { lanes: 'main' },
  );
}, 90_000);
