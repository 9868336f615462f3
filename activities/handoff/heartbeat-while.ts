/**
 * Runs an activity's work, heartbeating while it takes long. assignLead may wait on the routing queue
 * and the CRM budget under a burst: the heartbeat keeps a live attempt from being declared lost (its
 * start-to-close is long), while a dead worker's attempt is noticed within the heartbeat timeout. A
 * quick attempt (the usual case) never heartbeats, so it costs no call.
 */
import { Context } from '@temporalio/activity';

export const HEARTBEAT_EVERY_MS = 10_000;

export async function heartbeatWhile<T>(work: () => Promise<T>, everyMs = HEARTBEAT_EVERY_MS): Promise<T> {
  const context = Context.current();
  // A local activity (the hot lane's assignment) cannot heartbeat: its workflow task's heartbeat keeps it alive.
  if (context.info.isLocal) return work();
  const timer = setInterval(() => context.heartbeat(), everyMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
