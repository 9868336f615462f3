/**
 * A CRM's call budget in this worker process: every HTTP request an adapter makes passes through
 * one, so the budget bounds requests, not activities (one activity may make several requests, and
 * one batched request serves many activities). Requests are paced evenly — at least ⌈window/N⌉ + 1 ms
 * apart — which keeps any window of that length to N requests, even when a timer fires a millisecond
 * early, and gives the batchers a steady stream of slots to fill instead of bursts of small calls.
 * This one counts one process's requests only: the bridge's processes share their budgets through
 * shared-call-budget.ts; this one serves a process on its own (the `reconcile` command, tests).
 */
import pThrottle from 'p-throttle';

export interface CallBudget {
  /** Runs `request` (one HTTP request) once the budget has room for it, broadly in the order asked. */
  run<T>(request: () => Promise<T>): Promise<T>;
}

export interface CallBudgetLimit {
  /** At most this many requests… */
  calls: number;
  /** …in any window of this many milliseconds. */
  perMs: number;
}

/** The gap kept between two requests so no window of `perMs` holds more than `calls`. */
export function callSpacingMs(limit: CallBudgetLimit): number {
  if (!(limit.calls > 0) || !(limit.perMs > 0)) throw new RangeError('a call budget needs a positive number of calls and window');
  return Math.ceil(limit.perMs / limit.calls) + 1;
}

export function createCallBudget(limit: CallBudgetLimit): CallBudget {
  // With a weight, p-throttle's strict mode checks each call again when its timer fires, against the
  // calls that actually started: a timer that fires late (a busy event loop) cannot bunch the calls
  // queued behind it. Without one it keeps the start times computed when each call was queued.
  const slot = pThrottle({ limit: 1, interval: callSpacingMs(limit), strict: true, weight: () => 1 })(async () => undefined);
  return {
    async run(request) {
      await slot();
      return request();
    },
  };
}

/**
 * The product's defaults (HUBSPOT_CALLS_PER_10_SECONDS, SALESFORCE_CALLS_PER_SECOND): HubSpot allows
 * a private app 190 requests in any 10 s; 150 leaves room for the portal's other apps and for timing
 * jitter on the way to HubSpot. Salesforce has no short window, only the org's rolling 24 h allocation
 * (watched by the org); the pace keeps a burst from eating it in minutes.
 */
export const DEFAULT_CALL_BUDGETS = { hubspotPer10Seconds: 150, salesforcePerSecond: 20 } as const;

/** No budget: what a coalescing loader uses when it is given none. */
export const UNBUDGETED: CallBudget = { run: (request) => request() };
