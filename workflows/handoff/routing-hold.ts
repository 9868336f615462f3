/**
 * The handoff's side of routing waits. When no rep can take the lead, the handoff neither fails nor
 * polls: LeadStage reads "Routing" (RoutingWait says why) and it sleeps until the routing queue's
 * `retryAt` (the pool's next working time, a capped rep's next day), or until the queue signals that
 * a freed slot is reserved for it (every working rep was capped). One timer and at most one signal per
 * wait: a weekend costs a handful of history events, not a retry every 15 minutes.
 *
 * It also tells the queue when the lead stops awaiting its rep (accepted, rejected, missed), so the
 * rep's slot frees at once.
 */
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { condition, setHandler } from '@temporalio/workflow';
import type { HandoffState } from '../../api/handoff';
import { ROUTING_STAGE, type ReleaseSlot, type RepChoice } from '../../api/routing';
import { LEAD_STAGE, ROUTING_WAIT } from '../../api/search-attributes';
import { workflowNow } from '../clock';
import { routingChangedSignal, slotReservedSignal } from '../routing-signals';

/** With no time at which a rep is back (territory uncovered, every rep missed the lead): look again daily. */
const NO_REP_RECHECK_MS = 24 * 60 * 60_000;


export interface RoutingHoldContext {
  state: HandoffState;
  workflowId: string;
  setAttributes: (pairs: SearchAttributeUpdatePair[]) => void;
  publishAttributes: () => void;
  note: (detail: string) => void;
  /** The bridge's local activity that signals the queue (one marker in history, where a signal costs five events). */
  releaseSlot: (input: ReleaseSlot & { portalId: string }) => Promise<{ released: boolean }>;
}

type NoRep = Extract<RepChoice, { rep: null }>;

export function createRoutingHold(ctx: RoutingHoldContext) {
  const { state } = ctx;
  let reserved = 0;
  /** Wakes a wait: a reserved slot, a rep who joined the pool, a new contract version. */
  let wakes = 0;
  let wokenBy: string | undefined;
  setHandler(slotReservedSignal, () => {
    reserved += 1;
  });
  // Any payload wakes the lead (it only asks routing again); the reason is for its log line.
  setHandler(routingChangedSignal, (changed) => wake(typeof changed?.why === 'string' ? changed.why : 'routing changed'));

  function wake(why: string): void {
    wakes += 1;
    wokenBy = why;
  }

  /** Waits until asking the queue again is worth it. */
  async function waitForRep(choice: NoRep): Promise<void> {
    const now = workflowNow();
    const kind = choice.waitlisted ? 'capacity' : choice.retryAt ? 'off_hours' : 'no_rep';
    const untilMs = choice.retryAt ? Date.parse(choice.retryAt) : now.getTime() + NO_REP_RECHECK_MS;
    state.waitingForRep = { kind, reason: choice.reason, since: state.waitingForRep?.since ?? now.toISOString(), ...(choice.retryAt ? { retryAt: choice.retryAt } : {}) };
    const until = new Date(untilMs).toISOString();
    ctx.note(
      kind === 'capacity'
        ? `waiting for a slot (${choice.reason}); waitlisted until a slot frees${choice.retryAt ? `, or ${choice.retryAt} at the latest` : ''}`
        : `no rep available (${choice.reason}); routing again at ${until}`,
    );
    ctx.setAttributes([
      { key: LEAD_STAGE, value: ROUTING_STAGE },
      { key: ROUTING_WAIT, value: kind },
    ]);
    ctx.publishAttributes();
    const seen = reserved;
    const seenWakes = wakes;
    await condition(() => reserved > seen || wakes > seenWakes, Math.max(1, untilMs - now.getTime()));
    if (reserved === seen && wakes > seenWakes) ctx.note(`routing again early: ${wokenBy ?? 'routing changed'}`);
  }

  /** The lead was given a rep: the reps skipped at a cap are noted, and the wait (if any) ends. */
  function assigned(choice: Extract<RepChoice, { rep: object }>): void {
    if (choice.skipped?.length) ctx.note(`capacity: ${choice.skipped.join('; ')}`);
    if (!state.waitingForRep) return;
    const since = state.waitingForRep.since;
    state.waitingForRep = undefined;
    ctx.setAttributes([{ key: ROUTING_WAIT, value: null }]);
    ctx.note(`rep found after waiting since ${since}`);
  }

  /**
   * Frees the rep's slot in the queue, alongside the handoff's next step (not awaited: it runs in the
   * same workflow task); a queue that is gone has no slot to free.
   */
  function release(repId: string, why: ReleaseSlot['why']): void {
    ctx
      .releaseSlot({ portalId: state.portalId, handoffId: ctx.workflowId, repId, why })
      .then(({ released }) => {
        if (!released) ctx.note(`routing slot of ${repId} not released: the routing queue is not running`);
      })
      .catch((err: unknown) => ctx.note(`routing slot of ${repId} not released: ${err instanceof Error ? err.message : String(err)}`));
  }

  return { waitForRep, assigned, release, wake };
}

export type RoutingHold = ReturnType<typeof createRoutingHold>;
