/**
 * Temporal task priority for the bridge's work. Lower keys are dispatched first (1 to 5, default 3);
 * a priority lead's workflow and activity tasks, and the routing queue, use the top key so they never
 * wait behind a burst. The fairness key is the portal: where several portals share workers, a burst
 * in one portal does not hold back another's leads. Plain data: the ingress, activities and workflows
 * all use it. The server dispatches by priority only with its new matcher (dev server:
 * `matching.useNewMatcher`, fairness `matching.enableFairness`; see worker/dev-server.ts).
 */
import type { Priority } from '@temporalio/common';

export const PRIORITY_KEYS = { hot: 1, normal: 3 } as const;

/** Whether work at this priority is a priority lead's (top key; unset is the server's default, 3). */
export function isHotPriority(priority: Priority | undefined): boolean {
  const key = priority?.priorityKey;
  return key !== undefined && key > 0 && key <= PRIORITY_KEYS.hot;
}

export function handoffPriority(portalId: string, hot: boolean): Priority {
  return { priorityKey: hot ? PRIORITY_KEYS.hot : PRIORITY_KEYS.normal, fairnessKey: portalId };
}
