/**
 * Chooses the rep for a lead under the contract's routing policy. Pure: the rotation state goes in
 * and comes back out, so the durable routing-queue workflow can hold it and replay it.
 *
 * A rep is skipped when out of office, outside their own working hours (in their own time zone), on
 * one of their holidays, listed in `exclude` (they already let this lead's window lapse), or at one
 * of their capacity caps (`blocked`, which the routing queue answers from its durable counts).
 */
import { DateTime } from 'luxon';
import { isWorkingTime, zoneOf } from '../calendar';
import { CATCH_ALL_TERRITORY, territoryCandidates, type Props } from '../contract';
import type { RotationPolicy, RoutingRep as Rep } from './rotation-policy';
import type { RotationState } from './rotation-schema';

export type { RotationState };

export function initialRotation(): RotationState {
  return { lastRepId: null, currentWeights: {}, lastByTerritory: {} };
}

export type RepChoice = { rep: Rep; rotation: RotationState } | { rep: null; reason: string };

/** Only the routing policy is read: a whole contract, or the rotation policy the routing queue receives. */
type Routed = { routing: RotationPolicy };

export interface ChooseRepInput {
  contract: Routed;
  rotation: RotationState;
  lead: Props;
  now: Date;
  exclude?: readonly string[];
  /** Why a rep who is working now still cannot take the lead (their capacity caps), or undefined. */
  blocked?: (rep: Rep) => string | undefined;
}

export { CATCH_ALL_TERRITORY };

function instantOf(value: string, zone: string, edge: 'start' | 'end'): number {
  const dt = DateTime.fromISO(value, { zone: zoneOf(zone), setZone: value.includes('T') });
  if (value.includes('T')) return dt.toMillis();
  return (edge === 'start' ? dt.startOf('day') : dt.endOf('day')).toMillis();
}

/** The out-of-office entry covering `t`, with the instant it ends. */
export function awayAt(rep: Rep, t: number): { to: string; endsAt: number } | undefined {
  const away = (rep.outOfOffice ?? []).find((o) => instantOf(o.from, rep.timeZone, 'start') <= t && t <= instantOf(o.to, rep.timeZone, 'end'));
  return away ? { to: away.to, endsAt: instantOf(away.to, rep.timeZone, 'end') } : undefined;
}

/** Why a rep cannot take a lead right now, or undefined when they can. */
export function unavailability(rep: Rep, now: Date, exclude: readonly string[] = []): string | undefined {
  if (exclude.includes(rep.id)) return 'already missed this lead';
  const away = awayAt(rep, now.getTime());
  if (away) return `out of office until ${away.to}`;
  if (!isWorkingTime(now, rep.workingHours, rep.timeZone, rep.holidays)) return `outside working hours in ${rep.timeZone}`;
  return undefined;
}

/** The first available rep after `lastId` in `ring` order, wrapping around. */
function nextInRing(ring: readonly Rep[], lastId: string | null | undefined, available: ReadonlySet<string>): Rep | undefined {
  const start = ring.findIndex((r) => r.id === lastId) + 1;
  for (let i = 0; i < ring.length; i++) {
    const rep = ring[(start + i) % ring.length];
    if (rep && available.has(rep.id)) return rep;
  }
  return undefined;
}

/** Smooth weighted round robin (as nginx does it): even spacing, exact shares over a cycle. */
function nextWeighted(reps: readonly Rep[], rotation: RotationState, available: ReadonlySet<string>): RepChoice | undefined {
  const eligible = reps.filter((r) => available.has(r.id) && (r.weight ?? 1) > 0);
  if (!eligible.length) return undefined;
  const known = new Set(reps.map((r) => r.id));
  const current = Object.fromEntries(Object.entries(rotation.currentWeights).filter(([id]) => known.has(id)));
  let best: Rep | undefined;
  for (const rep of eligible) {
    current[rep.id] = (current[rep.id] ?? 0) + (rep.weight ?? 1);
    if (!best || (current[rep.id] ?? 0) > (current[best.id] ?? 0)) best = rep;
  }
  if (!best) return undefined;
  current[best.id] = (current[best.id] ?? 0) - eligible.reduce((sum, r) => sum + (r.weight ?? 1), 0);
  return { rep: best, rotation: { ...rotation, lastRepId: best.id, currentWeights: current } };
}

export function chooseRep({ contract, rotation, lead, now, exclude = [], blocked }: ChooseRepInput): RepChoice {
  let pool: Rep[] = contract.routing.reps;
  let territory: string | undefined;
  if (contract.routing.policy === 'territory') {
    const found = territoryCandidates(contract, lead);
    if ('reason' in found) return { rep: null, reason: found.reason };
    pool = found.reps;
    territory = found.key;
  }
  const why = new Map(pool.map((rep) => [rep.id, unavailability(rep, now, exclude) ?? blocked?.(rep)]));
  const available = new Set(pool.filter((rep) => why.get(rep.id) === undefined).map((rep) => rep.id));
  if (!available.size) {
    const details = pool.map((rep) => `${rep.name} (${why.get(rep.id) ?? 'unavailable'})`).join(', ');
    return { rep: null, reason: `no rep available${territory ? ` in territory "${territory}"` : ''}: ${details}` };
  }
  if (contract.routing.policy === 'weighted') {
    return nextWeighted(pool, rotation, available) ?? { rep: null, reason: 'every available rep has weight 0' };
  }
  const last = territory === undefined ? rotation.lastRepId : rotation.lastByTerritory[territory];
  const rep = nextInRing(pool, last, available);
  if (!rep) return { rep: null, reason: 'no rep available' };
  const next: RotationState = territory === undefined
    ? { ...rotation, lastRepId: rep.id }
    : { ...rotation, lastRepId: rep.id, lastByTerritory: { ...rotation.lastByTerritory, [territory]: rep.id } };
  return { rep, rotation: next };
}
