/**
 * CRM activities heartbeat while they take long. Under a burst an attempt may wait on its CRM's call
 * budget, a batch or the routing queue well past the time the call itself takes: the heartbeat keeps
 * a live attempt from being declared lost and run a second time (its start-to-close is long, see
 * workflows/activity-profiles.ts crmCall), while a dead worker's attempt is noticed within the
 * heartbeat timeout. A quick attempt (the usual case) never heartbeats, so it costs no call.
 */
import { Context } from '@temporalio/activity';

export const HEARTBEAT_EVERY_MS = 10_000;

/** What a CRM activity's heartbeat carries. */
export interface HeartbeatDetails {
  /** Since the attempt began on the worker. */
  runningMs: number;
}

export async function heartbeatWhile<T>(work: () => Promise<T>, everyMs = HEARTBEAT_EVERY_MS): Promise<T> {
  const context = Context.current();
  // A local activity (the hot lane's reads and assignment) cannot heartbeat: its workflow task's heartbeat keeps it alive.
  if (context.info.isLocal) return work();
  // Each heartbeat says how long the attempt has run: the Temporal UI shows it on the pending activity,
  // and the next attempt's failure carries the last one, so an attempt that timed out having never
  // heartbeated (it never reached the worker; see docs/operations.md) is told from one that went silent.
  const began = Date.now();
  const timer = setInterval(() => context.heartbeat({ runningMs: Date.now() - began } satisfies HeartbeatDetails), everyMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

type Activity = (...args: never[]) => Promise<unknown>;

/** The same activities, each heartbeating while it takes long (heartbeatWhile). */
export function heartbeatingWhileLong<A extends Record<string, Activity>>(activities: A, everyMs = HEARTBEAT_EVERY_MS): A {
  return Object.fromEntries(
    Object.entries(activities).map(([name, activity]) => [name, (...args: never[]) => heartbeatWhile(() => activity(...args), everyMs)]),
  ) as A;
}
