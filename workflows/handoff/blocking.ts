/**
 * A stopped handoff waits, it does not fail. When a CRM refuses one of the handoff's steps for good
 * (invalid value, missing record, revoked access, inactive owner) the step parks: LeadStage reads
 * "Blocked" with the step and the CRM's code beside it, RevOps is alerted once per cause, and the
 * handoff waits durably until `lead retry` (the `retry` update) runs the step again. A step that then
 * goes through continues the handoff from where it stopped; the time spent blocked is system delay.
 */
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { ActivityFailure, ApplicationFailure, condition, proxyLocalActivities, setHandler } from '@temporalio/workflow';
import type { BridgeActivities } from '../../activities/handoff';
import { BLOCKING_CRM_ERRORS } from '../../mappings/crm';
import { notify } from '../activity-profiles';
import { workflowNow } from '../clock';
import type { BlockedStep, HandoffState, RetryInput } from '../../api/handoff';
import { retryUpdate } from './messages';
import { BLOCKED_CODE, BLOCKED_STEP, LEAD_STAGE } from '../../api/search-attributes';

/** The LeadStage search attribute's value while a step waits for a fix. */
export const BLOCKED_STAGE = 'Blocked';

export interface BlockingContext {
  state: HandoffState;
  workflowId: string;
  /** What the alert calls the lead ("Acme GmbH (contact 123)"). */
  lead: () => string;
  /** The handoff's contract version: the alert goes to the `blocked` channels it names. */
  contractHash: () => string;
  setAttributes: (pairs: SearchAttributeUpdatePair[]) => void;
  publishAttributes: () => void;
  note: (detail: string) => void;
  /** Causes alerted in a previous run of the handoff (continue-as-new): not alerted again. */
  alerted?: readonly string[];
}

export interface Blocking {
  /**
   * Runs `attempt`; a refusal for good parks it until a retry, then runs it again with the retry's
   * number (0 the first time), so the step can recompute what depends on when it runs.
   */
  run<T>(step: string, attempt: (retry: number) => Promise<T>): Promise<T>;
  /** The same activities, each call run as a step named after the activity. */
  guard<T extends object>(activities: T): T;
  /** No step running, parked or blocked: nothing a continue-as-new would cut off. */
  idle(): boolean;
  /** Causes RevOps has heard about (step/code), for the next run of a handoff continued as new. */
  alertedCauses(): string[];
}

interface Refusal {
  code: string;
  errorType: string;
  ownerId?: string;
}

const REFUSED: ReadonlySet<string> = new Set(BLOCKING_CRM_ERRORS);

/**
 * The CRM's answer from the adapters' message ("salesforce.updateLead failed: INVALID_CROSS_REFERENCE_KEY
 * (OwnerId)" → INVALID_CROSS_REFERENCE_KEY.OwnerId, "hubspot.updateContact failed: HTTP 400
 * VALIDATION_ERROR" → HTTP_400_VALIDATION_ERROR), reduced to characters a visibility query can quote.
 */
export function crmAnswerCode(message: string): string | undefined {
  const answer = /failed: (.+)$/.exec(message)?.[1];
  if (!answer) return undefined;
  const fields = /\(([^)]*)\)$/.exec(answer)?.[1];
  const code = answer.replace(/\s*\([^)]*\)$/, '').trim().replace(/[^A-Za-z0-9_]+/g, '_');
  return fields ? `${code}.${fields.replace(/[^A-Za-z0-9_]+/g, '.')}` : code;
}

/** A CRM refusal for good (the adapters' non-retryable types but a superseded write), or undefined for any other failure. */
export function refusalOf(err: unknown): Refusal | undefined {
  if (!(err instanceof ActivityFailure) || !(err.cause instanceof ApplicationFailure)) return undefined;
  const failure = err.cause;
  if (!failure.type || !REFUSED.has(failure.type)) return undefined;
  const detail: unknown = failure.details?.[0];
  const ownerId = typeof detail === 'object' && detail !== null && 'ownerId' in detail && typeof detail.ownerId === 'string' ? detail.ownerId : undefined;
  return { code: crmAnswerCode(failure.message) ?? failure.type, errorType: failure.type, ...(ownerId ? { ownerId } : {}) };
}

export function createBlocking(ctx: BlockingContext): Blocking {
  const { state } = ctx;
  const { sendBlockedAlert } = proxyLocalActivities<BridgeActivities>(notify);
  /** Bumped by each accepted retry: every parked step runs again. */
  let generation = 0;
  /** Steps waiting for a retry. */
  let parked = 0;
  /** Steps a retry released that have not yet gone through or parked again: the update answers after them. */
  let outstanding = 0;
  /** Causes (step + code) RevOps has heard about: a retry that fails the same way does not alert again. */
  const alerted = new Set<string>(ctx.alerted ?? []);
  /** Steps whose attempt is under way (an activity in flight). */
  let running = 0;

  setHandler(
    retryUpdate,
    async (req: RetryInput) => {
      const blocked = state.blocked;
      if (blocked) blocked.retries += 1;
      ctx.note(`retry of ${blocked?.step ?? 'the blocked step'} asked by ${req.actor}`);
      outstanding += parked;
      generation += 1;
      await condition(() => outstanding === 0);
      return state;
    },
    {
      validator: (req: RetryInput) => {
        const blocked = state.blocked;
        if (!blocked || parked === 0) throw new Error(`lead ${state.contactId} is not blocked: it is ${state.stage}${outstanding > 0 ? ' and a retry is running' : ''}`);
        if (req.step !== undefined && req.step !== blocked.step) throw new Error(`lead ${state.contactId} is blocked at ${blocked.step}, not ${req.step}`);
      },
    },
  );

  async function tellRevOps(blocked: BlockedStep): Promise<void> {
    try {
      const sent = await sendBlockedAlert({
        contractHash: ctx.contractHash(),
        workflowId: ctx.workflowId,
        contactId: state.contactId,
        lead: ctx.lead(),
        step: blocked.step,
        code: blocked.code,
        errorType: blocked.errorType,
        stage: state.stage,
        ...(blocked.ownerId ? { ownerId: blocked.ownerId } : {}),
        ...(state.salesforceLeadId ? { salesforceLeadId: state.salesforceLeadId } : {}),
      });
      ctx.note(sent.channels.length ? `RevOps alerted on ${sent.channels.join(', ')}` : 'no RevOps channel (alert kind "blocked") in the contract: nobody was alerted');
    } catch (err) {
      // The block itself is visible in visibility and `leads stuck`; a lost alert must not end the handoff.
      ctx.note(`RevOps alert not delivered: ${err instanceof ActivityFailure ? (err.cause?.message ?? err.message) : String(err)}`);
      if (!state.flags.includes('blocked_alert_failed')) state.flags.push('blocked_alert_failed');
    }
  }

  async function park(step: string, refusal: Refusal): Promise<void> {
    const previous = state.blocked;
    if (previous?.step !== step || previous.code !== refusal.code) {
      state.blocked = {
        step,
        code: refusal.code,
        errorType: refusal.errorType,
        since: previous?.since ?? workflowNow().toISOString(),
        retries: previous?.retries ?? 0,
        ...(refusal.ownerId ? { ownerId: refusal.ownerId } : {}),
      };
      ctx.setAttributes([
        { key: LEAD_STAGE, value: BLOCKED_STAGE },
        { key: BLOCKED_STEP, value: step },
        { key: BLOCKED_CODE, value: refusal.code },
      ]);
    }
    ctx.note(`blocked: the CRM refused ${step} (${refusal.code}); waiting for \`lead retry\``);
    parked += 1;
    const seen = generation;
    ctx.publishAttributes();
    const cause = `${step}/${refusal.code}`;
    if (!alerted.has(cause)) {
      alerted.add(cause);
      await tellRevOps(state.blocked ?? { step, ...refusal, since: workflowNow().toISOString(), retries: 0 });
    }
    await condition(() => generation > seen);
    parked -= 1;
  }

  /** Blocked from the refusal until the retry that went through started (its own run is the step's time). */
  function unblock(throughAt: Date): void {
    const blocked = state.blocked;
    if (!blocked) return;
    const seconds = Math.max(0, Math.round((throughAt.getTime() - Date.parse(blocked.since)) / 1000));
    state.delays.blockedSeconds = (state.delays.blockedSeconds ?? 0) + seconds;
    state.blocked = undefined;
    ctx.setAttributes([
      { key: LEAD_STAGE, value: state.stage },
      { key: BLOCKED_STEP, value: null },
      { key: BLOCKED_CODE, value: null },
    ]);
    ctx.note(`unblocked: ${blocked.step} went through after ${seconds} s blocked (counted as system delay)`);
  }

  async function run<T>(step: string, attempt: (retry: number) => Promise<T>): Promise<T> {
    for (let retry = 0; ; retry++) {
      const startedAt = workflowNow();
      let result: T;
      running += 1;
      try {
        result = await attempt(retry);
      } catch (err) {
        running -= 1;
        if (retry > 0) outstanding -= 1;
        const refusal = refusalOf(err);
        if (!refusal) throw err;
        await park(step, refusal);
        continue;
      }
      running -= 1;
      if (retry > 0) {
        outstanding -= 1;
        if (parked === 0 && outstanding === 0) unblock(startedAt);
      }
      return result;
    }
  }

  function guard<T extends object>(activities: T): T {
    return new Proxy(activities, {
      get(target, name) {
        const fn: unknown = Reflect.get(target, name);
        if (typeof name !== 'string' || typeof fn !== 'function') return fn;
        const call = fn as (...args: unknown[]) => Promise<unknown>;
        return (...args: unknown[]) => run(name, () => call(...args));
      },
    });
  }

  return {
    run,
    guard,
    idle: () => running === 0 && parked === 0 && outstanding === 0 && !state.blocked,
    alertedCauses: () => [...alerted],
  };
}
