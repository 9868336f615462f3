/**
 * When no rep can take a lead, when routing is worth asking again: the earliest instant any rep of
 * the pool (not one who already missed the lead) is back, at their own working hours, after their
 * out of office and, for a rep at their daily cap, on their next day. A rep capped by leads awaiting
 * acceptance comes back on a release (an event, not a time), or when those leads' slots expire.
 * Pure: the routing queue answers it with the lead's "no rep" so the handoff sleeps exactly that long.
 */
import { DateTime } from 'luxon';
import { nextWorkingInstant, zoneOf } from '../calendar';
import { repsCovering, type Props } from '../contract';
import { awaitingNow, capacityReason, isDailyCap, type RoutingLoad } from './capacity';
import type { RotationPolicy, RoutingRep } from './rotation-policy';
import { awayAt } from './routing';

/** Out-of-office entries one rep may chain back to back before we give up on them. */
const MAX_HOPS = 50;

export interface RoutingWait {
  /** Some rep works now but is capped: a release can free a slot, so the lead joins the waitlist. */
  capped: boolean;
  /** The earliest instant some rep is back by time alone; undefined when none ever is. */
  retryAt?: Date;
}

/** The first instant at or after `from` when the rep is at work and not out of office. */
export function repBackAt(rep: RoutingRep, from: Date): Date | undefined {
  let t = from;
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const working = nextWorkingInstant(t, rep.workingHours, rep.timeZone, rep.holidays);
    if (!working) return undefined;
    const away = awayAt(rep, working.getTime());
    if (!away) return working;
    t = new Date(away.endsAt + 1);
  }
  return undefined;
}

/**
 * `lead` (its routing inputs) narrows the pool to the reps who cover its territory: a rep of another
 * territory working now is no reason to ask again now (that would retry at once, forever); a lead no
 * rep covers gets no time at all (the handoff re-checks daily).
 */
export function routingWait(policy: RotationPolicy, loads: RoutingLoad, now: Date, exclude: readonly string[], lead: Props = {}): RoutingWait {
  let capped = false;
  let retryAt: number | undefined;
  const consider = (at: Date | undefined): void => {
    if (at && (retryAt === undefined || at.getTime() < retryAt)) retryAt = at.getTime();
  };
  for (const rep of repsCovering({ routing: policy }, lead)) {
    if (exclude.includes(rep.id)) continue;
    const back = repBackAt(rep, now);
    if (!back) continue;
    const cap = capacityReason(rep, policy.capacity, loads[rep.id], back);
    if (!cap) {
      consider(back);
      continue;
    }
    if (back.getTime() === now.getTime()) capped = true;
    if (isDailyCap(cap)) {
      consider(repBackAt(rep, DateTime.fromJSDate(now, { zone: zoneOf(rep.timeZone) }).plus({ days: 1 }).startOf('day').toJSDate()));
    } else {
      // The slots free by themselves when their leads' deadlines (plus grace) pass.
      const load = loads[rep.id];
      const expiries = awaitingNow(load, now).map((lead) => Date.parse(load?.awaiting[lead] ?? ''));
      if (expiries.length) consider(repBackAt(rep, new Date(Math.min(...expiries))));
    }
  }
  return { capped, ...(retryAt === undefined ? {} : { retryAt: new Date(retryAt) }) };
}
