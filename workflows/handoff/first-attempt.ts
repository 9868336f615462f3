/**
 * Speed-to-lead's stop event: the first contact attempt in a counted channel since the episode's FIRST
 * assignment. The watcher forwards each Task within one poll of it appearing; this keeps the earliest
 * and stamps it in both systems at once (not when the attempt window closes), for accepted and
 * rejected leads alike. A repeat or a later Task changes nothing.
 */
import { condition } from '@temporalio/workflow';
import type { HandoffState, LeadChange } from '../../api/handoff';

export interface FirstAttemptWatch {
  /** A Task the watcher forwarded (or the handoff read): kept when counted, after assignment, and earliest. */
  observe(attempt: NonNullable<LeadChange['attempt']>): void;
  /** From the first assignment on: stamps each new earliest attempt as it is observed. */
  start(): void;
  /** Whether it started, and the instant last stamped: a run continued as new carries both on. */
  carried(): { started: boolean; stamped?: string };
}

export function watchFirstAttempt(deps: {
  state: HandoffState;
  channels: readonly string[];
  /** How far Salesforce's clock may trail the workers'. */
  skewMs: number;
  stamp: (firstAttemptAt: string) => Promise<void>;
  onError: (err: unknown) => void;
  /** Where a previous run of the handoff left it (continue-as-new): started again, with its stamp known. */
  resumed?: { started: boolean; stamped?: string };
}): FirstAttemptWatch {
  const { state } = deps;
  let started = false;
  let stamped = deps.resumed?.stamped;
  const watch: FirstAttemptWatch = {
    carried: () => ({ started, ...(stamped !== undefined ? { stamped } : {}) }),
    observe(attempt) {
      const assigned = state.marks.firstAssignedAt;
      const at = Date.parse(attempt.createdAt);
      if (!deps.channels.includes(attempt.channel) || !assigned || Number.isNaN(at) || at < Date.parse(assigned) - deps.skewMs) return;
      const current = state.marks.firstAttemptAt;
      if (!current || at < Date.parse(current)) state.marks.firstAttemptAt = new Date(at).toISOString();
    },
    start() {
      if (started) return;
      started = true;
      void (async () => {
        for (;;) {
          await condition(() => state.marks.firstAttemptAt !== stamped);
          stamped = state.marks.firstAttemptAt;
          if (stamped) await deps.stamp(stamped).catch(deps.onError);
        }
      })();
    },
  };
  if (deps.resumed?.started) watch.start();
  return watch;
}
