/**
 * Named activity option profiles. Temporal owns retries (the CRM SDKs' own retries are off); the
 * adapters classify every error, so only the stable non-retryable types stop a retry early.
 */
import type { ActivityOptions, LocalActivityOptions } from '@temporalio/workflow';
import { NON_RETRYABLE_CRM_ERRORS } from '../mappings/crm';

/** CRM calls' retries: patient with rate limits and outages, quick to give up on bad input. */
const crmRetry: ActivityOptions['retry'] = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '2 minutes',
  nonRetryableErrorTypes: [...NON_RETRYABLE_CRM_ERRORS],
};

/**
 * Reads and writes against a CRM, on the CRM task queues. Under a burst an attempt may wait on its
 * CRM's call budget, a batch or (assignLead) the routing queue well past the call's own time: the CRM
 * activities heartbeat every 10 s while they run (activities/handoff/heartbeat-while.ts), so a long
 * but live attempt runs on while a lost one is retried after the heartbeat timeout. With a 30 s
 * start-to-close and no heartbeat, a 10,000-lead burst timed out 15 live attempts and ran them twice.
 */
export const crmCall: ActivityOptions = {
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '30 seconds',
  scheduleToCloseTimeout: '6 hours',
  retry: crmRetry,
};

/**
 * Alerts to reps, as local activities of the handoff (no task-queue round trip, one marker in history
 * instead of an activity's six events): a few quick tries; a permanent failure is reported by the
 * notifier as non-retryable. Retries past a minute wait on a workflow timer rather than hold the task.
 */
export const notify: LocalActivityOptions = {
  startToCloseTimeout: '20 seconds',
  scheduleToCloseTimeout: '30 minutes',
  localRetryThreshold: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute' },
};

/**
 * A CRM read the handoff makes as a local activity (the hot lane): crmCall's retries, retries past a
 * minute on workflow timers. A local activity cannot heartbeat, so it keeps a 30 s start-to-close.
 */
export const crmLocalRead: LocalActivityOptions = {
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '6 hours',
  localRetryThreshold: '1 minute',
  retry: crmRetry,
};

/** The handoff's policy (the contract in force when it starts), read locally on the orchestration worker. */
export const policy: LocalActivityOptions = {
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
};

/** A signal the handoff sends through a local activity (a freed routing slot): quick, retried while Temporal is away. */
export const queueSignal: LocalActivityOptions = {
  startToCloseTimeout: '10 seconds',
  scheduleToCloseTimeout: '1 hour',
  localRetryThreshold: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
};

/** Bridge-internal work (routing queue, starting handoffs, reconciliation). */
export const bridge: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
};

/**
 * The hot lane's assignment as a local activity (its reads use crmLocalRead):
 * a priority lead's handoff then runs from its first workflow task to the alert without handing a
 * task back to the server between steps. Under a burst each hand-out waited its turn behind the
 * burst's tasks on the server (docs/benchmarks.md, "Hot leads: worker thread or server?"). A local
 * activity cannot heartbeat: the workflow task's own heartbeat keeps a long assignment alive, and a
 * lost worker's attempt is run again when its workflow task times out.
 */
export const hotLaneAssignCall: LocalActivityOptions = { ...crmLocalRead, startToCloseTimeout: '5 minutes' };
