/**
 * Chooses the rep for a lead under the contract's routing policy. Pure: the rotation state goes in
 * and comes back out, so the durable routing-queue workflow can hold it and replay it.
 *
 * A rep is skipped when out of office, outside their own working hours (in their own time zone), on
 * one of their holidays, or listed in `exclude` (they already let this lead's window lapse).
 */
import { DateTime } from 'luxon';
import { isWorkingTime } from './calendar';
import type { Props } from './predicates';
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
}

/** The territory every rep marked `*` covers: leads whose territory no one else covers. */
export const CATCH_ALL_TERRITORY = '*';

function instantOf(value: string, zone: string, edge: 'start' | 'end'): number {
  const dt = DateTime.fromISO(value, { zone, setZone: value.includes('T') });
  if (value.includes('T')) return dt.toMillis();
  return (edge === 'start' ? dt.startOf('day') : dt.endOf('day')).toMillis();
}

/** Why a rep cannot take a lead right now, or undefined when they can. */
export function unavailability(rep: Rep, now: Date, exclude: readonly string[] = []): string | undefined {
  if (exclude.includes(rep.id)) return 'already missed this lead';
  const t = now.getTime();
  const away = (rep.outOfOffice ?? []).find((o) => instantOf(o.from, rep.timeZone, 'start') <= t && t <= instantOf(o.to, rep.timeZone, 'end'));
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

function territoryCandidates(contract: Routed, lead: Props): { key: string; reps: Rep[] } | { reason: string } {
  const property = contract.routing.territoryProperty;
  if (!property) return { reason: 'routing policy is territory but the contract names no territoryProperty' };
  const value = lead[property]?.trim().toLowerCase();
  const covers = (rep: Rep, territory: string) => (rep.territories ?? []).some((t) => t.trim().toLowerCase() === territory);
  const exact = value ? contract.routing.reps.filter((r) => covers(r, value)) : [];
  if (value && exact.length) return { key: value, reps: exact };
  const catchAll = contract.routing.reps.filter((r) => covers(r, CATCH_ALL_TERRITORY));
  if (catchAll.length) return { key: CATCH_ALL_TERRITORY, reps: catchAll };
  return { reason: value ? `no rep covers territory "${value}" (${property})` : `the lead has no ${property} and no rep covers "*"` };
}

export function chooseRep({ contract, rotation, lead, now, exclude = [] }: ChooseRepInput): RepChoice {
  let pool: Rep[] = contract.routing.reps;
  let territory: string | undefined;
  if (contract.routing.policy === 'territory') {
    const found = territoryCandidates(contract, lead);
    if ('reason' in found) return { rep: null, reason: found.reason };
    pool = found.reps;
    territory = found.key;
  }
  const why = new Map(pool.map((rep) => [rep.id, unavailability(rep, now, exclude)]));
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

/** The reps routing may ever give the lead to: its territory's (else the catch-all's), or every rep. */
export function repsCovering(contract: Routed, lead: Props): readonly Rep[] {
  if (contract.routing.policy !== 'territory') return contract.routing.reps;
  const found = territoryCandidates(contract, lead);
  return 'reason' in found ? [] : found.reps;
}

/**
 * Whether every rep who may take the lead has already let its window lapse: a reassignment would wait
 * for a rep forever (a territory with fewer reps than the reassignment limit), so the limit is reached.
 */
export function everyCoveringRepMissed(contract: Routed, lead: Props, missedBy: readonly string[]): boolean {
  const reps = repsCovering(contract, lead);
  return reps.length > 0 && reps.every((rep) => missedBy.includes(rep.id));
}

/** The most reps any one lead can be routed among: the largest territory pool, or every rep. */
export function largestRoutingPool(contract: Routed): number {
  if (contract.routing.policy !== 'territory') return contract.routing.reps.length;
  const territories = new Set(contract.routing.reps.flatMap((rep) => rep.territories ?? []).map((t) => t.trim().toLowerCase()));
  return Math.max(0, ...[...territories].map((territory) => repsCovering(contract, { [contract.routing.territoryProperty ?? '']: territory }).length));
}
