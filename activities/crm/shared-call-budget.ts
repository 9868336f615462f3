/**
 * A CRM call budget shared with every other process calling the same CRM account: this process makes
 * its requests only with calls the keeper granted it (mappings/budget-epochs.ts), in the epoch they
 * were granted for. Leasing happens in the background, a few seconds ahead, so a request never waits
 * for a round trip to the keeper unless the process has just started or lost touch with it: the hot
 * path is a look-up in the grants already held. Within an epoch the granted calls are spaced evenly,
 * as the per-process budget spaced them, so the batchers keep a steady stream of slots to fill.
 */
import { randomUUID } from 'node:crypto';
import { epochMs, epochOf, type BudgetLimit, type EpochGrant, type LeaseRequest } from '../../mappings/crm';
import type { CallBudget } from './call-budget';
import { urgentNow } from './urgency';

export interface SharedCallBudgetOptions {
  limit: BudgetLimit;
  /** Asks the keeper for calls; answers the grants (see workflows/call-budget-keeper.ts). `signal` aborts it. */
  lease(request: LeaseRequest, signal: AbortSignal): Promise<EpochGrant[]>;
  /** How far ahead grants are asked for, and how often. */
  aheadMs?: number;
  renewEveryMs?: number;
  /** Called when a lease fails (the budget keeps the grants it holds and asks again soon). */
  onLeaseError?: (error: unknown) => void;
  /** Told how long each lease and each wait for a call took (worker/metrics.ts, the benchmark). */
  observe?: BudgetObserver;
  /**
   * How long a request may wait for a call before it fails; unset: as long as it takes (activities
   * have their own timeouts). The ingress sets one: a webhook must not hang on a keeper nobody serves.
   */
  maxWaitMs?: number;
  now?: () => number;
}

/**
 * A budget's timings. A lease is a round trip to the keeper; a request waits for a call when the
 * grants in hand are used up (the budget is the bottleneck, as it should be in a burst) or when no
 * grant is in hand at all (a lease slower than the grants held ahead: the keeper or the Temporal
 * server is slow, and every call of the process waits, a priority lead's too).
 */
export interface BudgetObserver {
  leased(ms: number, outcome: 'granted' | 'failed'): void;
  /** `urgent`: the request was a priority lead's (urgency.ts). */
  waited(ms: number, urgent: boolean): void;
}

export interface SharedCallBudget extends CallBudget {
  readonly holder: string;
  /**
   * Stops leasing (a lease in flight is aborted) and resolves once nothing of it runs any more, so the
   * Temporal connection can close next. Requests still waiting get no grant: stop after the workers.
   */
  stop(): Promise<void>;
}

const RETRY_AFTER_ERROR_MS = 500;

export function createSharedCallBudget(options: SharedCallBudgetOptions): SharedCallBudget {
  const now = options.now ?? Date.now;
  const epochLength = epochMs(options.limit);
  const aheadMs = options.aheadMs ?? 3_000;
  const renewEveryMs = options.renewEveryMs ?? 1_500;
  const holder = `${process.pid}-${randomUUID().slice(0, 8)}`;
  /** Calls granted and used per epoch this process holds. */
  const grants = new Map<number, { calls: number; used: number }>();
  const waiting: Array<() => void> = [];
  let pumpTimer: NodeJS.Timeout | undefined;
  let leaseTimer: NodeJS.Timeout | undefined;
  let leasing: Promise<void> | undefined;
  let stopped = false;
  /**
   * The lease in flight's own abort signal, aborted by stop(). One per lease, never one for the
   * budget's lifetime: the Temporal client adds an abort listener to the signal of every call it makes
   * and never removes it, so a lasting signal kept every lease's call alive, with the buffers its
   * messages were read into (≈ 100 KB a lease, two budgets renewing every 1.5 s: a worker grew by
   * ≈ 40 MB in 5 minutes).
   */
  let leaseAborter: AbortController | undefined;

  /** The time the next call may start, or undefined when no grant ahead has a call left. */
  const nextSlot = (at: number): number | undefined => {
    const current = epochOf(options.limit, at);
    for (const [epoch, grant] of [...grants].sort((a, b) => a[0] - b[0])) {
      if (epoch < current || grant.used >= grant.calls) continue;
      // The k-th call of an epoch starts no earlier than k/calls of the way through it.
      return Math.max(at, epoch * epochLength + (grant.used * epochLength) / grant.calls);
    }
    return undefined;
  };

  const pump = (): void => {
    if (pumpTimer) clearTimeout(pumpTimer);
    pumpTimer = undefined;
    while (waiting.length > 0) {
      const at = now();
      const slot = nextSlot(at);
      if (slot === undefined) {
        // Nothing left in hand: ask now rather than at the next renewal.
        void lease();
        return;
      }
      if (slot > at) {
        pumpTimer = setTimeout(pump, Math.ceil(slot - at));
        return;
      }
      const grant = grants.get(epochOf(options.limit, at));
      if (!grant || grant.used >= grant.calls) {
        // The slot found is in this epoch by construction; anything else is a clock that moved: look again.
        pumpTimer = setTimeout(pump, 1);
        return;
      }
      grant.used += 1;
      waiting.shift()?.();
    }
  };

  const scheduleLease = (delayMs: number): void => {
    if (stopped) return;
    if (leaseTimer) clearTimeout(leaseTimer);
    leaseTimer = setTimeout(() => void lease(), delayMs);
    // An idle process must still be able to exit: the budget alone keeps nothing running.
    leaseTimer.unref();
  };

  const leaseOnce = async (): Promise<void> => {
    let delay = renewEveryMs;
    const aborter = new AbortController();
    leaseAborter = aborter;
    const at = now();
    try {
      const fromEpoch = epochOf(options.limit, at);
      for (const epoch of grants.keys()) if (epoch < fromEpoch) grants.delete(epoch);
      const answer = await options.lease({ holder, busy: waiting.length > 0, fromEpoch, throughEpoch: epochOf(options.limit, at + aheadMs) }, aborter.signal);
      options.observe?.leased(now() - at, 'granted');
      for (const [epoch, calls] of answer) if (!grants.has(epoch)) grants.set(epoch, { calls, used: 0 });
    } catch (error) {
      if (stopped) return;
      options.observe?.leased(now() - at, 'failed');
      options.onLeaseError?.(error);
      delay = RETRY_AFTER_ERROR_MS;
    } finally {
      leaseAborter = undefined;
    }
    scheduleLease(delay);
    pump();
  };

  const lease = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    leasing ??= leaseOnce().finally(() => {
      leasing = undefined;
    });
    return leasing;
  };

  // No lease until the first call: a process that never calls this CRM (an ingress and Salesforce)
  // holds no share of it. The first call asks at once (pump finds nothing in hand); renewals follow.
  return {
    holder,
    async run(request) {
      const asked = now();
      await new Promise<void>((resolve, reject) => {
        if (options.maxWaitMs === undefined) {
          waiting.push(resolve);
        } else {
          const give = (): void => {
            clearTimeout(timer);
            resolve();
          };
          const timer = setTimeout(() => {
            const at = waiting.indexOf(give);
            if (at >= 0) waiting.splice(at, 1);
            reject(new Error(`no CRM call was granted within ${options.maxWaitMs} ms (is a worker serving the call-budget keeper?)`));
          }, options.maxWaitMs);
          waiting.push(give);
        }
        pump();
      });
      options.observe?.waited(now() - asked, urgentNow());
      return request();
    },
    async stop() {
      stopped = true;
      if (leaseTimer) clearTimeout(leaseTimer);
      if (pumpTimer) clearTimeout(pumpTimer);
      leaseAborter?.abort();
      await leasing;
    },
  };
}
