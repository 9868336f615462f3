/**
 * The routing queue's capacity book: each rep's new leads today and the leads awaiting them, the
 * waitlist of leads that found every working rep capped, and the reps reserved for waitlisted leads
 * when a slot freed. Lives in the queue's workflow state (and its continue-as-new input), so a worker
 * restart replays it and never resets a count.
 *
 * A release (acceptance, rejection, a miss that reassigns the lead away) frees the rep's slot and, in
 * the same workflow task, reserves the freed rep for the oldest waitlisted lead (hot leads first) and
 * signals that handoff: the waiting lead is served before any newcomer, without polling.
 */
import { getExternalWorkflowHandle } from '@temporalio/workflow';
import { AWAITING_GRACE_MS, capacityReason, extendAwaiting, prunedLoads, recordAssignment, releaseLead, type RoutingLoad } from '../mappings/routing';
import type { RotationPolicy, RoutingRep } from '../mappings/routing';
import { routingWait } from '../mappings/routing';
import { workflowNow } from './clock';
import { slotReservedSignal } from './routing-signals';
import type { ChosenRep, ReleaseSlot, RepChoice, Reservation, RoutingQueueInput, RoutingRequest } from '../api/routing';

/** How long a reserved rep's slot is held for a waitlisted lead that has not asked again yet. */
const RESERVATION_HOLD_MS = 24 * 60 * 60_000;

/** Chooses a rep for a request under the queue's rotation, with `blocked` applied; records nothing else. */
export type Choose = (request: RoutingRequest, policy: RotationPolicy, blocked: (rep: RoutingRep) => string | undefined) => RepChoice;

export function createSlotBook(input: RoutingQueueInput, choose: Choose) {
  const loads: RoutingLoad = input.loads ?? {};
  let waitlist: RoutingRequest[] = input.waitlist ?? [];
  let waitPolicy = input.waitPolicy;
  const reservations = new Map<string, Reservation>(Object.entries(input.reservations ?? {}));

  const blockedUnder = (policy: RotationPolicy, now: Date) => (rep: RoutingRep) => capacityReason(rep, policy.capacity, loads[rep.id], now);
  const repOf = (policy: RotationPolicy, id: string) => policy.reps.find((r) => r.id === id);

  const holdUntil = (request: RoutingRequest, now: Date): Date =>
    new Date((request.deadline ? Date.parse(request.deadline) : now.getTime()) + AWAITING_GRACE_MS);

  /** A fresh answer: a reserved rep first, else the rotation with the caps applied. */
  function answer(request: RoutingRequest, policy: RotationPolicy): RepChoice {
    const now = workflowNow();
    const key = request.handoffId;
    if (key) waitlist = waitlist.filter((w) => w.handoffId !== key);
    const reserved = key ? reservations.get(key) : undefined;
    if (key && reserved) {
      reservations.delete(key);
      if (!request.exclude.includes(reserved.rep.id)) {
        extendAwaiting(loads, reserved.rep.id, key, holdUntil(request, now));
        return reserved;
      }
      releaseLead(loads, reserved.rep.id, key);
    }
    const blocked = blockedUnder(policy, now);
    const choice = choose(request, policy, blocked);
    const rep = choice.rep ? repOf(policy, choice.rep.id) : undefined;
    if (choice.rep) {
      const skipped = policy.reps.flatMap((r) => {
        const why = r.id === choice.rep.id || request.exclude.includes(r.id) ? undefined : blocked(r);
        return why ? [`${r.name} skipped: ${why}`] : [];
      });
      if (rep) recordAssignment(loads, rep, policy.capacity, key ?? request.requestId, now, holdUntil(request, now));
      return skipped.length ? { ...choice, skipped } : choice;
    }
    const wait = routingWait(policy, loads, now, request.exclude, request.lead);
    if (wait.capped && key) {
      waitlist.push(request);
      waitPolicy = policy;
    }
    return {
      rep: null,
      reason: choice.reason,
      ...(wait.retryAt ? { retryAt: wait.retryAt.toISOString() } : {}),
      ...(wait.capped && key ? { waitlisted: true } : {}),
    };
  }

  /** Frees the slot, then gives freed slots to waitlisted leads, oldest (hot first) first. */
  function release(signal: ReleaseSlot): void {
    if (releaseLead(loads, signal.repId, signal.handoffId)) serveWaitlist();
  }

  function serveWaitlist(): void {
    const policy = waitPolicy;
    if (!policy || !waitlist.length) return;
    const now = workflowNow();
    const ordered = [...waitlist.filter((w) => w.hot), ...waitlist.filter((w) => !w.hot)];
    for (const request of ordered) {
      const key = request.handoffId;
      if (!key) continue;
      const choice = choose({ ...request, now: now.toISOString() }, policy, blockedUnder(policy, now));
      const rep = choice.rep ? repOf(policy, choice.rep.id) : undefined;
      if (!choice.rep || !rep) continue;
      waitlist = waitlist.filter((w) => w.handoffId !== key);
      recordAssignment(loads, rep, policy.capacity, key, now, new Date(now.getTime() + RESERVATION_HOLD_MS));
      reservations.set(key, { rep: choice.rep, turn: choice.turn });
      tell(key, choice.rep);
    }
  }

  /** A handoff that no longer exists gives its reservation back. */
  function tell(handoffId: string, rep: ChosenRep): void {
    getExternalWorkflowHandle(handoffId)
      .signal(slotReservedSignal, { repId: rep.id })
      .catch(() => {
        if (reservations.get(handoffId)?.rep.id !== rep.id) return;
        reservations.delete(handoffId);
        release({ handoffId, repId: rep.id, why: 'missed' });
      });
  }

  return {
    answer,
    release,
    loads: () => loads,
    carry: (): Pick<RoutingQueueInput, 'loads' | 'waitlist' | 'waitPolicy' | 'reservations'> => ({
      loads: prunedLoads(loads, workflowNow()),
      waitlist,
      ...(waitPolicy ? { waitPolicy } : {}),
      reservations: Object.fromEntries(reservations),
    }),
  };
}
