/**
 * The worker's admission of new workflows (worker/workflow-admission.ts): the slot supplier alone,
 * with the reports a workflow would send, and a real worker on the dev server, whose workflows report
 * through the bundled interceptor (workflows/load-report.ts).
 */
import { fileURLToPath } from 'node:url';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, type SlotPermit, type SlotReserveContext } from '@temporalio/worker';
import type { WorkflowInfo } from '@temporalio/workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBridgeWorker } from '../worker/create-worker';
import { createWorkflowAdmission, type WorkflowAdmission } from '../worker/workflow-admission';
import { workflowBundleOptions } from '../worker/workflow-bundle-options';
import { eventually } from './helpers/handoff';
import { quietBundlerLogger } from './helpers/quiet-bundler-logger';
import { devServerEnv, uniqueTaskQueue } from './helpers/temporal';

const poll = (isSticky: boolean): SlotReserveContext => ({ slotType: 'workflow', taskQueue: 'q', workerIdentity: 'w', workerBuildId: '', isSticky });
const info = (runId: string) => ({ runId }) as WorkflowInfo;
const report = (admission: WorkflowAdmission, kind: 'busy' | 'idle', runId: string): void => void admission.sinks.workflowLoad[kind].fn(info(runId));
/** What the hot lane's worker reports for a priority lead's handoff. */
const reportPriority = (admission: WorkflowAdmission, kind: 'busy' | 'idle', runId: string): void => void admission.prioritySinks.workflowLoad[kind].fn(info(runId));
/** Whether the promise settled within `ms` (a reservation still waiting stays false). */
const settlesWithin = (promise: Promise<unknown>, ms: number): Promise<boolean> =>
  Promise.race([promise.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms))]);

describe('admission of new workflows, the slot supplier', () => {
  const options = { slots: 10, busyLimit: 2, maxWaitMs: 60_000, staleAfterMs: 600_000 };

  it('holds a new workflow while the busy ones reach the limit, and lets it in when one parks', async () => {
    const admission = createWorkflowAdmission(options);
    const supplier = admission.slotSupplier;
    report(admission, 'busy', 'a');
    report(admission, 'busy', 'b');
    const abort = new AbortController();
    const held = supplier.reserveSlot(poll(false), abort.signal);
    // A cached workflow's next task (a sticky poll) is never held back.
    expect(await settlesWithin(supplier.reserveSlot(poll(true), abort.signal), 50)).toBe(true);
    expect(supplier.tryReserveSlot(poll(false))).toBeNull();
    expect(await settlesWithin(held, 100)).toBe(false);
    report(admission, 'idle', 'a');
    expect(await settlesWithin(held, 100)).toBe(true);
    expect(admission.state()).toMatchObject({ busy: 1, newInFlight: 1, heldBack: 1, waitedOut: 0 });
  });

  it('counts a new workflow from its slot until it reports, so a burst cannot get in ahead of the reports', async () => {
    const admission = createWorkflowAdmission(options);
    const supplier = admission.slotSupplier;
    const abort = new AbortController();
    const first = await supplier.reserveSlot(poll(false), abort.signal);
    const second = await supplier.reserveSlot(poll(false), abort.signal);
    const third = supplier.reserveSlot(poll(false), abort.signal);
    expect(await settlesWithin(third, 100)).toBe(false);
    // The first one's task ends parked: it never reports busy, and its slot goes back.
    supplier.releaseSlot({ permit: first });
    expect(await settlesWithin(third, 100)).toBe(true);
    // The second one's task ends waiting on an activity: busy, its slot back, still counted.
    report(admission, 'busy', 'second');
    supplier.releaseSlot({ permit: second });
    expect(await settlesWithin(supplier.reserveSlot(poll(false), abort.signal), 100)).toBe(false);
  });

  it('lets a held workflow in after maxWaitMs, so nothing waits for good', async () => {
    const admission = createWorkflowAdmission({ ...options, busyLimit: 1, maxWaitMs: 150 });
    report(admission, 'busy', 'a');
    const started = Date.now();
    await admission.slotSupplier.reserveSlot(poll(false), new AbortController().signal);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(admission.state()).toMatchObject({ busy: 1, waitedOut: 1 });
  });

  it('never gives more slots than it has, sticky or not', async () => {
    const admission = createWorkflowAdmission({ ...options, slots: 2 });
    const supplier = admission.slotSupplier;
    const abort = new AbortController();
    const permits: SlotPermit[] = [await supplier.reserveSlot(poll(true), abort.signal), await supplier.reserveSlot(poll(true), abort.signal)];
    const third = supplier.reserveSlot(poll(true), abort.signal);
    expect(supplier.tryReserveSlot(poll(true))).toBeNull();
    expect(await settlesWithin(third, 100)).toBe(false);
    supplier.releaseSlot({ permit: permits[0] ?? {} });
    expect(await settlesWithin(third, 100)).toBe(true);
  });

  it('hands the abort signal its own reason back, as the SDK expects', async () => {
    const admission = createWorkflowAdmission({ ...options, busyLimit: 1 });
    report(admission, 'busy', 'a');
    const abort = new AbortController();
    const held = admission.slotSupplier.reserveSlot(poll(false), abort.signal);
    const reason = new Error('poller stopped');
    abort.abort(reason);
    await expect(held).rejects.toBe(reason);
  });

  it("holds every slot, a cached workflow's too, while a priority lead is in mid-step, and lets them in when it parks", async () => {
    const admission = createWorkflowAdmission({ ...options, priorityHoldMs: 60_000 });
    const supplier = admission.slotSupplier;
    const abort = new AbortController();
    reportPriority(admission, 'busy', 'demo-request');
    const sticky = supplier.reserveSlot(poll(true), abort.signal);
    const fresh = supplier.reserveSlot(poll(false), abort.signal);
    expect(supplier.tryReserveSlot(poll(true))).toBeNull();
    expect(await settlesWithin(Promise.race([sticky, fresh]), 150)).toBe(false);
    expect(admission.state()).toMatchObject({ priorityBusy: 1, heldForPriority: 0 });
    reportPriority(admission, 'idle', 'demo-request');
    expect(await settlesWithin(Promise.all([sticky, fresh]), 100)).toBe(true);
    expect(admission.state()).toMatchObject({ priorityBusy: 0, heldForPriority: 2, heldBack: 0 });
  });

  it('lets a held slot in when the priority step reaches priorityHoldMs, with no report to wake it', async () => {
    const admission = createWorkflowAdmission({ ...options, priorityHoldMs: 150 });
    reportPriority(admission, 'busy', 'slow-crm-call');
    const started = Date.now();
    await admission.slotSupplier.reserveSlot(poll(true), new AbortController().signal);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(admission.state()).toMatchObject({ priorityBusy: 0, heldForPriority: 1 });
  });

  it('holds for priorityHoldMs at most at a stretch, then runs for as long before priority holds again', () => {
    let clock = 0;
    const admission = createWorkflowAdmission({ ...options, priorityHoldMs: 1_000, now: () => clock });
    const free = (): boolean => {
      const permit = admission.slotSupplier.tryReserveSlot(poll(true));
      if (permit) admission.slotSupplier.releaseSlot({ permit });
      return permit !== null;
    };
    reportPriority(admission, 'busy', 'a');
    expect(free()).toBe(false);
    clock = 900;
    reportPriority(admission, 'busy', 'b'); // busy until 1,900 on its own
    expect(free()).toBe(false);
    clock = 1_000; // the stretch began at 0: the lane runs until 2,000
    expect(free()).toBe(true);
    clock = 1_500;
    reportPriority(admission, 'busy', 'c'); // busy until 2,500 on its own
    expect(free()).toBe(true);
    clock = 1_999;
    expect(free()).toBe(true);
    clock = 2_000;
    expect(free()).toBe(false);
    clock = 2_500; // c's step has held its 1,000 ms
    expect(free()).toBe(true);
  });

  it('holds nothing for priority leads without priorityHoldMs', () => {
    const admission = createWorkflowAdmission(options);
    reportPriority(admission, 'busy', 'demo-request');
    expect(admission.slotSupplier.tryReserveSlot(poll(false))).not.toBeNull();
    expect(admission.state().priorityBusy).toBe(0);
  });

  it('forgets a busy workflow not heard from within staleAfterMs (closed from outside, it never reports idle)', () => {
    let clock = 0;
    const admission = createWorkflowAdmission({ ...options, busyLimit: 1, staleAfterMs: 1_000, now: () => clock });
    report(admission, 'busy', 'terminated');
    expect(admission.slotSupplier.tryReserveSlot(poll(false))).toBeNull();
    clock = 1_001;
    expect(admission.slotSupplier.tryReserveSlot(poll(false))).not.toBeNull();
  });
});

describe('admission of new workflows, on a real worker', () => {
  let env: TestWorkflowEnvironment;
  let code: string;
  beforeAll(async () => {
    [env, { code }] = await Promise.all([
      devServerEnv(),
      bundleWorkflowCode(workflowBundleOptions({ workflowsPath: fileURLToPath(new URL('./workflows/admission-probe.ts', import.meta.url)), logger: quietBundlerLogger })),
    ]);
  });
  afterAll(async () => {
    await env?.teardown();
  });

  /**
   * Starts `count` probes at once; the most activities that ran at the same time, and whether all
   * completed. The probes are released once none has reached its activity for 300 ms, or, with
   * `allAtOnce`, once all `count` are at it (a loaded machine's first tasks can come further apart).
   */
  async function burst(count: number, admission: WorkflowAdmission | undefined, allAtOnce = false): Promise<{ mostAtOnce: number; completed: number }> {
    const taskQueue = uniqueTaskQueue('admission');
    let running = 0;
    let mostAtOnce = 0;
    const waiting: Array<() => void> = [];
    const hold = async (): Promise<void> => {
      running++;
      mostAtOnce = Math.max(mostAtOnce, running);
      await new Promise<void>((resolve) => waiting.push(resolve));
      running--;
    };
    const worker = await createBridgeWorker({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: { code },
      activities: { hold },
      ...(admission ? { admission } : {}),
      overrides: { maxCachedWorkflows: 10 },
    });
    return worker.runUntil(async () => {
      const handles = await Promise.all(Array.from({ length: count }, (_, i) => env.client.workflow.start('admissionProbe', { taskQueue, workflowId: `${taskQueue}-${i}` })));
      const done = Promise.all(handles.map((h) => h.result()));
      // Let every admitted workflow reach its activity (until none has arrived for 300 ms: on a loaded
      // machine the first tasks take their time), then release them one by one as they come.
      if (allAtOnce) await eventually(() => running === count, `all ${count} probes at their activity at once`);
      else
        for (let seen = -1, quietSince = Date.now(); Date.now() - quietSince < 300; await new Promise((resolve) => setTimeout(resolve, 25))) {
          if (running !== seen) [seen, quietSince] = [running, Date.now()];
        }
      const release = setInterval(() => waiting.splice(0, 1).forEach((resolve) => resolve()), 100);
      try {
        await done;
      } finally {
        clearInterval(release);
      }
      return { mostAtOnce, completed: handles.length };
    });
  }

  it("holds a worker's workflow tasks while a priority workflow on another worker of the process is in mid-step", async () => {
    const admission = createWorkflowAdmission({ slots: 10, busyLimit: 8, maxWaitMs: 60_000, staleAfterMs: 600_000, priorityHoldMs: 60_000 });
    const [normalQueue, hotQueue] = [uniqueTaskQueue('admission'), uniqueTaskQueue('admission-hot')];
    const gate = () => {
      let started = 0;
      const waiting: Array<() => void> = [];
      const hold = (): Promise<void> => {
        started++;
        return new Promise<void>((resolve) => waiting.push(resolve));
      };
      return { hold, started: () => started, releaseAll: () => waiting.splice(0).forEach((resolve) => resolve()) };
    };
    const [hot, normal] = [gate(), gate()];
    const hotWorker = await createBridgeWorker({ connection: env.nativeConnection, taskQueue: hotQueue, workflowBundle: { code }, activities: { hold: hot.hold }, reportLoadTo: admission.prioritySinks });
    const worker = await createBridgeWorker({ connection: env.nativeConnection, taskQueue: normalQueue, workflowBundle: { code }, activities: { hold: normal.hold }, admission });
    // The gates open at the end whatever happened: a worker shuts down only once its activities return.
    const openGates = (): void => [hot, normal].forEach((g) => g.releaseAll());
    await hotWorker.runUntil(
      worker.runUntil(async () => {
        try {
          const priority = await env.client.workflow.start('admissionProbe', { taskQueue: hotQueue, workflowId: `${hotQueue}-demo` });
          await eventually(() => hot.started() === 1 && admission.state().priorityBusy === 1, 'the priority probe in mid-step, reported');
          const burst = await Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map((i) => env.client.workflow.start('admissionProbe', { taskQueue: normalQueue, workflowId: `${normalQueue}-${i}` })));
          // The burst's first tasks wait at the server while the priority probe is in mid-step, but for
          // those that meet a poll already waiting there: Core reserves a slot before each poll (here all
          // 10 before the hold began, 3 of them for new workflows' polls).
          await new Promise((resolve) => setTimeout(resolve, 1_500));
          expect(normal.started()).toBeLessThanOrEqual(4);
          hot.releaseAll();
          await priority.result();
          await eventually(() => normal.started() === 8, 'all eight probes of the burst at their activity');
          normal.releaseAll();
          await Promise.all(burst.map((h) => h.result()));
          expect(admission.state().priorityBusy).toBe(0);
          expect(admission.state().heldForPriority).toBeGreaterThanOrEqual(1);
        } finally {
          openGates();
        }
      }),
    );
  });

  it('keeps no more workflows waiting on activities than the busy limit, and completes them all', async () => {
    const admitted = await burst(12, createWorkflowAdmission({ slots: 10, busyLimit: 3, maxWaitMs: 60_000, staleAfterMs: 600_000 }));
    expect(admitted).toEqual({ mostAtOnce: 3, completed: 12 });
    // The same burst without admission: every workflow takes its first step at once (CI twice saw
    // only 6 within the 300 ms quiet window, so this one waits for all twelve, 20 s at most).
    expect(await burst(12, undefined, true)).toEqual({ mostAtOnce: 12, completed: 12 });
  });
});
