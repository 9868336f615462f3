/**
 * Capacity caps: how many new leads a rep got on their own business day, and which leads await their
 * acceptance. Pure bookkeeping over plain data, so the routing queue holds it durably and carries it
 * across continue-as-new; a worker restart replays it, never resets it.
 */
import { DateTime } from 'luxon';
import { zoneOf } from '../calendar';
import type { Capacity } from '../contract';

export interface RepLoad {
  /** The rep's local date (YYYY-MM-DD, in their time zone) that `newToday` counts. */
  day: string;
  newToday: number;
  /**
   * Leads awaiting this rep's acceptance: lead key → the instant after which the entry no longer
   * counts (the lead's deadline plus a grace), so a handoff that ended without saying so frees its slot.
   * Kept only for a rep under a cap of leads awaiting acceptance (at most that many entries): an
   * uncapped rep's awaiting leads are never counted, and at 10,000 leads in a burst their entries
   * (≈ 56 bytes each) made the routing queue's carried state 560 KB and every assignment O(n).
   */
  awaiting: Record<string, string>;
}

/** Every rep's load, by rep id. */
export type RoutingLoad = Record<string, RepLoad>;

/** A rep as capacity sees them. */
export interface CappedRep {
  id: string;
  timeZone: string;
  capacity?: Capacity;
}

/** How long after its deadline an awaiting lead still holds the slot if its handoff never releases it. */
export const AWAITING_GRACE_MS = 60 * 60_000;

export function repDay(rep: Pick<CappedRep, 'timeZone'>, now: Date): string {
  return DateTime.fromJSDate(now, { zone: zoneOf(rep.timeZone) }).toISODate() ?? '';
}

/** The rep's own caps, each falling back to the pool's. */
export function capsOf(rep: CappedRep, pool: Capacity | undefined): Capacity {
  return {
    maxNewPerDay: rep.capacity?.maxNewPerDay ?? pool?.maxNewPerDay,
    maxAwaiting: rep.capacity?.maxAwaiting ?? pool?.maxAwaiting,
  };
}

export function newLeadsToday(load: RepLoad | undefined, rep: CappedRep, now: Date): number {
  return load && load.day === repDay(rep, now) ? load.newToday : 0;
}

export function awaitingNow(load: RepLoad | undefined, now: Date): string[] {
  return Object.entries(load?.awaiting ?? {})
    .filter(([, until]) => Date.parse(until) > now.getTime())
    .map(([lead]) => lead);
}

/** Why the rep can take no new lead now because of their caps, or undefined. */
export function capacityReason(rep: CappedRep, pool: Capacity | undefined, load: RepLoad | undefined, now: Date): string | undefined {
  const caps = capsOf(rep, pool);
  const today = newLeadsToday(load, rep, now);
  if (caps.maxNewPerDay !== undefined && today >= caps.maxNewPerDay) return `at daily cap (${today}/${caps.maxNewPerDay} new leads today)`;
  if (caps.maxAwaiting === undefined) return undefined;
  const awaiting = awaitingNow(load, now).length;
  if (awaiting >= caps.maxAwaiting) return `at cap of leads awaiting acceptance (${awaiting}/${caps.maxAwaiting})`;
  return undefined;
}

/** The kind of cap a reason names: the daily cap lifts on the rep's next day, the other on a release. */
export function isDailyCap(reason: string): boolean {
  return reason.startsWith('at daily cap');
}

/**
 * Counts a new lead for the rep: their day's count, and, when the rep is under a cap of awaiting
 * leads (their own or the pool's), the lead awaiting them until `until`.
 */
export function recordAssignment(loads: RoutingLoad, rep: CappedRep, pool: Capacity | undefined, lead: string, now: Date, until: Date): void {
  const day = repDay(rep, now);
  const load = loads[rep.id];
  const fresh: RepLoad = load && load.day === day ? load : { day, newToday: 0, awaiting: load?.awaiting ?? {} };
  fresh.newToday += 1;
  if (capsOf(rep, pool).maxAwaiting !== undefined) fresh.awaiting = { ...pruned(fresh.awaiting, now), [lead]: until.toISOString() };
  loads[rep.id] = fresh;
}

/** Moves when the lead's slot frees by itself (its real deadline, known once the handoff claims it). */
export function extendAwaiting(loads: RoutingLoad, repId: string, lead: string, until: Date): void {
  const load = loads[repId];
  if (load && lead in load.awaiting) load.awaiting[lead] = until.toISOString();
}

/** The lead no longer awaits the rep (accepted, rejected, or reassigned away); true when it did. */
export function releaseLead(loads: RoutingLoad, repId: string, lead: string): boolean {
  const load = loads[repId];
  if (!load || !(lead in load.awaiting)) return false;
  const { [lead]: _released, ...rest } = load.awaiting;
  load.awaiting = rest;
  return true;
}

/** The loads without expired entries, for carrying across continue-as-new. */
export function prunedLoads(loads: RoutingLoad, now: Date): RoutingLoad {
  return Object.fromEntries(Object.entries(loads).map(([id, load]) => [id, { ...load, awaiting: pruned(load.awaiting, now) }]));
}

function pruned(awaiting: Record<string, string>, now: Date): Record<string, string> {
  return Object.fromEntries(Object.entries(awaiting).filter(([, until]) => Date.parse(until) > now.getTime()));
}
