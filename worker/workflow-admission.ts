/**
 * Admission of new workflows by the worker's cache. A burst starts hundreds of handoffs at once; taken
 * as fast as the server hands them out, they outnumber the workflow cache, and each newcomer evicts a
 * handoff in mid-step, whose next workflow task then replays its history from the start. In a
 * 1,000-lead burst on a cache of 100, three workflow tasks in four missed the cache
 * (docs/benchmarks.md, "Cache misses in a burst").
 *
 * Each workflow reports when it begins and ends waiting on activities (workflows/load-report.ts, a
 * sink); this module counts the busy ones and is the orchestration worker's workflow task slot
 * supplier. A sticky poll (a cached workflow's next task) gets a slot as soon as one is free; a
 * non-sticky poll (a new workflow, or one the cache lost) waits while the busy workflows and the new
 * ones not yet reported reach `busyLimit`, so the handoffs in mid-step finish their steps before
 * others start theirs. A non-sticky poll waits at most `maxWaitMs`: a workflow whose tasks went back
 * to the normal queue (its sticky queue timed out) is still served, and nothing waits for good.
 *
 * Priority leads come first here too. Their handoffs run on the hot lane's worker, which reports to
 * `prioritySinks`; while one of them is in mid-step, no workflow task of this worker gets a slot, so
 * the cores go to the hot lane's thread, the routing queue and the server rather than to a burst's next
 * step (on 2 cores the twenty demo requests of a 1,000-lead burst were alerted at p99 2.3–2.5 s with the
 * burst running beside them, 1.2–1.5 s holding it: docs/benchmarks.md). A hold is short by construction: a
 * priority workflow holds for at most `priorityHoldMs` per step, and the lane is never held longer than
 * that at a stretch before it runs for as long again, so a steady stream of priority leads costs the
 * other leads at most half the worker, never all of it.
 */
import type { CustomSlotSupplier, InjectedSinks, SlotPermit, SlotReserveContext, TunerHolder, WorkflowSlotInfo } from '@temporalio/worker';
import type { WorkflowLoadSinks } from '../workflows/load-report';

export interface WorkflowAdmissionOptions {
  /** Workflow tasks processed at once (the SDK's maxConcurrentWorkflowTaskExecutions). */
  slots: number;
  /** New workflows wait while this many are busy (reported or just admitted). */
  busyLimit: number;
  /** The longest a new workflow waits for admission. */
  maxWaitMs: number;
  /**
   * A workflow reported busy and not heard from for this long no longer counts: one that failed its
   * task or was closed from outside (terminated, timed out) never reports idle.
   */
  staleAfterMs: number;
  /**
   * The longest one step of a priority workflow (reported to `prioritySinks`) holds this worker's
   * workflow tasks back, and the longest hold at a stretch. 0 or unset: priority workflows hold nothing.
   */
  priorityHoldMs?: number;
  now?: () => number;
}

/** What the gate holds and has done so far (worker/metrics.ts exports it on /metrics). */
export interface AdmissionState {
  /** New workflows wait while busy + newInFlight reach it. */
  busyLimit: number;
  busy: number;
  /** New workflows' slots held (including their polls waiting at the server). */
  newInFlight: number;
  /** Non-sticky slots granted after waiting for the busy count to fall. */
  heldBack: number;
  /** Non-sticky slots granted because the wait reached maxWaitMs. */
  waitedOut: number;
  /** Priority workflows in mid-step, as the hot lane reported (each counts for priorityHoldMs at most). */
  priorityBusy: number;
  /** Slots, sticky or not, granted after waiting for priority workflows' steps. */
  heldForPriority: number;
}

export interface WorkflowAdmission {
  slotSupplier: CustomSlotSupplier<WorkflowSlotInfo>;
  sinks: InjectedSinks<WorkflowLoadSinks>;
  /** Where a priority lane's worker in this process reports its workflows' load (bridge-workers.ts). */
  prioritySinks: InjectedSinks<WorkflowLoadSinks>;
  state(): AdmissionState;
}

/** The SDK's default workflow task slots; Core caps them at the cache size. */
export const WORKFLOW_TASK_SLOTS = 40;

interface Permit extends SlotPermit {
  sticky: boolean;
}

export function createWorkflowAdmission(options: WorkflowAdmissionOptions): WorkflowAdmission {
  const now = options.now ?? Date.now;
  const busy = new Map<string, number>();
  let used = 0;
  let newInFlight = 0;
  let heldBack = 0;
  let waitedOut = 0;
  const waiters = new Set<() => void>();
  const wake = (): void => {
    for (const waiter of [...waiters]) waiter();
  };

  const holdMs = options.priorityHoldMs ?? 0;
  /** Priority workflows in mid-step: when each reported busy. */
  const priority = new Map<string, number>();
  let heldForPriority = 0;
  let holdingSince: number | undefined;
  let freeUntil = 0;
  let recheck: { at: number; timer: NodeJS.Timeout } | undefined;
  /** Wakes the waiters when a hold may have ended (nothing else reports that moment). */
  const recheckAt = (at: number): void => {
    if (recheck && recheck.at <= at) return;
    if (recheck) clearTimeout(recheck.timer);
    const timer = setTimeout(() => {
      recheck = undefined;
      wake();
    }, Math.max(1, at - now()));
    timer.unref();
    recheck = { at, timer };
  };
  /** Whether priority workflows hold every slot now: one is in mid-step, within its and the stretch's limits. */
  const priorityHolds = (): boolean => {
    if (holdMs <= 0 || priority.size === 0) return false;
    const t = now();
    for (const [runId, since] of priority) if (t - since >= holdMs) priority.delete(runId);
    if (priority.size === 0 || t < freeUntil) {
      holdingSince = undefined;
      return false;
    }
    holdingSince ??= t;
    if (t - holdingSince >= holdMs) {
      // Held for a whole stretch: the lane runs for as long before priority holds it again.
      holdingSince = undefined;
      freeUntil = t + holdMs;
      return false;
    }
    recheckAt(Math.min(holdingSince, ...priority.values()) + holdMs);
    return true;
  };

  /** Busy and new-not-yet-reported workflows; stale reports are swept only when they would close the gate. */
  const busyCount = (): number => {
    if (busy.size + newInFlight < options.busyLimit) return busy.size + newInFlight;
    const staleBefore = now() - options.staleAfterMs;
    for (const [runId, since] of busy) if (since < staleBefore) busy.delete(runId);
    return busy.size + newInFlight;
  };
  /** A free slot, and for a new workflow (a non-sticky poll) room under the busy limit. */
  const roomFor = (sticky: boolean): boolean => used < options.slots && (sticky || busyCount() < options.busyLimit);
  const grant = (sticky: boolean): Permit => {
    used++;
    if (!sticky) newInFlight++;
    return { sticky };
  };
  /** Waits for a state change, the deadline or the abort, whichever comes first. */
  const nextChange = (deadline: number, abort: AbortSignal): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const done = (): void => {
        waiters.delete(changed);
        if (timer) clearTimeout(timer);
        abort.removeEventListener('abort', aborted);
      };
      const changed = (): void => {
        done();
        resolve();
      };
      const aborted = (): void => {
        done();
        // The SDK expects the signal's own reason back (anything else it logs as an error).
        reject(abort.reason as Error);
      };
      const timer = Number.isFinite(deadline) ? setTimeout(changed, Math.max(0, deadline - now())) : undefined;
      waiters.add(changed);
      abort.addEventListener('abort', aborted);
    });

  const slotSupplier: CustomSlotSupplier<WorkflowSlotInfo> = {
    type: 'custom',
    async reserveSlot(ctx: SlotReserveContext, abort: AbortSignal): Promise<SlotPermit> {
      const deadline = now() + options.maxWaitMs;
      let waitedForRoom = false;
      let waitedForPriority = false;
      for (;;) {
        if (abort.aborted) throw abort.reason;
        if (priorityHolds()) {
          waitedForPriority = true;
          await nextChange(Number.POSITIVE_INFINITY, abort);
          continue;
        }
        if (roomFor(ctx.isSticky)) {
          if (waitedForRoom) heldBack++;
          if (waitedForPriority) heldForPriority++;
          return grant(ctx.isSticky);
        }
        // Only a new workflow held back by the busy limit waits for the deadline; a full set of slots waits for a release.
        const heldByLimit = !ctx.isSticky && used < options.slots;
        if (heldByLimit && now() >= deadline) {
          waitedOut++;
          return grant(false);
        }
        waitedForRoom ||= heldByLimit;
        await nextChange(heldByLimit ? deadline : Number.POSITIVE_INFINITY, abort);
      }
    },
    tryReserveSlot(ctx: SlotReserveContext): SlotPermit | null {
      return !priorityHolds() && roomFor(ctx.isSticky) ? grant(ctx.isSticky) : null;
    },
    markSlotUsed() {},
    releaseSlot({ permit }) {
      used--;
      if (!(permit as Permit).sticky) newInFlight--;
      wake();
    },
  };

  /** Sinks that keep `into` as each workflow's busy-since; a workflow that stops being busy wakes the waiters. */
  const reportsInto = (into: Map<string, number>): InjectedSinks<WorkflowLoadSinks> => ({
    workflowLoad: {
      busy: {
        fn: ({ runId }) => {
          into.set(runId, now());
        },
      },
      idle: {
        fn: ({ runId }) => {
          if (into.delete(runId)) wake();
        },
      },
    },
  });
  const sinks = reportsInto(busy);
  const prioritySinks = reportsInto(priority);

  return {
    slotSupplier,
    sinks,
    prioritySinks,
    state: () => {
      const t = now();
      const priorityBusy = [...priority.values()].filter((since) => t - since < holdMs).length;
      return { busyLimit: options.busyLimit, busy: busyCount() - newInFlight, newInFlight, heldBack, waitedOut, priorityBusy, heldForPriority };
    },
  };
}

/**
 * The share of the cache that busy workflows may fill before new ones wait. The rest holds parked
 * workflows, which the cache evicts first only while they are the least recently used: a busy
 * workflow waiting on its activity longer than the newest parked ones took to park would go instead.
 */
export const BUSY_SHARE_OF_CACHE = 0.8;

/**
 * How long a priority lead's step holds the orchestration worker's workflow tasks back, at most. Its
 * handoff is alerted within 1.2–1.5 s of its webhook in a 1,000-lead burst with the hold (2 s is the
 * target); a step still busy after 3 s is waiting on a CRM, not on the cores.
 */
export const PRIORITY_HOLD_MS = 3_000;

/** The admission a workflow worker with this cache runs (the orchestration worker, the benchmark's floor). */
export function admissionForCache(cacheSize: number): WorkflowAdmission {
  return createWorkflowAdmission({
    slots: Math.min(WORKFLOW_TASK_SLOTS, cacheSize),
    busyLimit: Math.max(1, Math.floor(cacheSize * BUSY_SHARE_OF_CACHE)),
    maxWaitMs: 1_000,
    staleAfterMs: 15 * 60_000,
    priorityHoldMs: PRIORITY_HOLD_MS,
  });
}

/** The SDK's default slots for activities, local activities and Nexus tasks, which a tuner must name. */
const OTHER_SLOTS = 100;

/** The worker's tuner: admission for workflow tasks, the SDK's defaults for everything else. */
export function admissionTuner(admission: WorkflowAdmission): TunerHolder {
  const fixed = { type: 'fixed-size', numSlots: OTHER_SLOTS } as const;
  return { workflowTaskSlotSupplier: admission.slotSupplier, activityTaskSlotSupplier: fixed, localActivityTaskSlotSupplier: fixed, nexusTaskSlotSupplier: fixed };
}

/** For workers without admission (and replay workers): the workflows' reports, heard and dropped. */
export const IGNORED_LOAD_REPORTS: InjectedSinks<WorkflowLoadSinks> = {
  workflowLoad: { busy: { fn: () => undefined }, idle: { fn: () => undefined } },
};
