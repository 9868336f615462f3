/**
 * What-if, step two: replays each recorded episode under a proposed contract — its MQL definition,
 * acceptance window, reassignment limit, calendar and routing — and says what would have happened.
 * Pure: no CRM, no Temporal, no clock (the caller passes `now`). The assumptions are stated in
 * docs/reconciliation.md ("What-if"); the two that matter most:
 *
 * - The lead's clock is kept: a decision recorded at T (accept or reject, measured from the episode's
 *   first assignment) happens at T under the proposal too, made by whoever holds the lead at T; until
 *   T nobody decided. A decision credited to another rep than the one who made it is `reattributed`.
 * - Nothing after the record ends is invented: a proposal that keeps a lead in a window past the point
 *   where its real episode ended (reverted, or closed another way) gets `unknown`, with SIGNAL MISSING.
 */
import { addBusinessMinutes } from '../calendar';
import { HUBSPOT_PROPERTIES as HS } from '../crm';
import type { LeadFacts } from '../metrics';
import { evaluateDefinition, type Props } from '../contract';
import { isPriorityLead, rotationPolicyOf } from '../routing';
import { chooseRep, initialRotation, type RotationState } from '../routing';
import type { Contract } from '../contract';
import type { RecordedEpisode } from './whatif-recorded';

export type ReplayedDecision = 'accepted' | 'rejected' | 'reverted' | 'undecided' | 'unknown';

export interface ReplayedEpisode {
  recorded: RecordedEpisode;
  /** False: the proposal's MQL definition does not hold on the contact's properties at MQL. */
  qualified: boolean;
  /** The reps who would have held the lead, in order (one per acceptance window opened). */
  holders: string[];
  /** Holders whose window ran out. */
  missedBy: string[];
  decision: ReplayedDecision;
  decidedAt?: number;
  /** The decision is credited to a rep who did not make it in reality (the lead-clock assumption). */
  reattributed: boolean;
  /** Why this episode's outcome (or qualification, or routing) cannot be known from the record. */
  signalMissing?: string;
  missingKind?: MissingKind;
}

/** What the record lacks for an episode, each with the line the summary prints once. */
export const MISSING_SIGNALS = {
  after_record: 'the proposal keeps the lead in a rep\'s window past the point where its recorded episode ended (reverted or closed): what the rep would have done then was never recorded, so the outcome is unknown',
  unrouted: 'no rep of the proposal could take the lead when its window opened: the wait for one is not replayed, so the outcome is unknown',
  props_at_mql: 'the contact\'s properties at MQL were not read, so the proposed MQL definition was not evaluated (kept as an MQL)',
} as const;
export type MissingKind = keyof typeof MISSING_SIGNALS;

export interface ReplayInput {
  actual: Contract;
  proposed: Contract;
  episodes: RecordedEpisode[];
  /** The contact's properties at each episode's MQL instant (by `contactId|episode`), when read. */
  propsAtMql: (episode: RecordedEpisode) => Props | undefined;
  now: number;
}

interface Window {
  from: number;
  to: number;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Whether the proposal's MQL definition holds on the properties at MQL; unknown when they were not read. */
function qualifies(input: ReplayInput, rec: RecordedEpisode): boolean | undefined {
  if (same(input.actual.definitions.mql, input.proposed.definitions.mql)) return true;
  const props = input.propsAtMql(rec);
  if (!props) return undefined;
  return evaluateDefinition(input.proposed.definitions.mql, props, new Date(rec.mqlAt)).met;
}

interface Timeline {
  windows: Window[];
  decision: ReplayedDecision;
  decidedAt?: number;
  /** Index of the window the decision (or the open wait) falls in; windows.length when every one ran out. */
  at: number;
}

/** The windows the proposal opens for one episode and where its recorded decision falls among them. */
function timeline(input: ReplayInput, rec: RecordedEpisode, assignedAt: number): Timeline {
  const { handoff, calendar } = input.proposed;
  // Same window on the same calendar: the recorded reassignment instant is kept (the routing lag included).
  const sameClock = handoff.acceptanceWindowBusinessMinutes === input.actual.handoff.acceptanceWindowBusinessMinutes && same(calendar, input.actual.calendar);
  const d = rec.decision;
  const windows: Window[] = [];
  for (let k = 0; k <= handoff.reassignLimit; k++) {
    const previous = windows[k - 1];
    const recordedStart = sameClock && k > 0 && k === rec.holders.length - 1 ? rec.lastAssignedAt : undefined;
    const from = previous ? Math.max(previous.to, recordedStart ?? previous.to) : assignedAt;
    const to = addBusinessMinutes(new Date(from), handoff.acceptanceWindowBusinessMinutes, calendar).getTime();
    windows.push({ from, to });
    if (d.kind === 'accepted' || d.kind === 'rejected') {
      if (d.at <= to) return { windows, decision: d.kind, decidedAt: d.at, at: k };
    } else if (d.at < to) {
      // The record ends inside this window: open now, or nothing known after it ended.
      return { windows, decision: d.kind === 'none' && d.open ? 'undecided' : 'unknown', at: k };
    }
  }
  const last = windows[windows.length - 1];
  return { windows, decision: 'reverted', ...(last ? { decidedAt: last.to } : {}), at: windows.length };
}

/** One slot to fill: window `k` of episode `index`, opening at `from`. */
interface Slot {
  index: number;
  k: number;
  from: number;
}

/**
 * Who holds each window. With the routing unchanged, the recorded holders, and for a window the
 * record never had, the next rep of the ring after the previous holder. With a changed routing, the
 * whole period is re-dealt: every window of every episode in time order through the proposal's
 * rotation (from its start; hot leads on their own rotation), skipping reps unavailable then.
 */
function dealHolders(input: ReplayInput, episodes: Array<{ rec: RecordedEpisode; windows: Window[]; hot: boolean; props: Props }>): { holders: string[][]; unrouted: Map<number, string> } {
  const holders = episodes.map(() => [] as string[]);
  const unrouted = new Map<number, string>();
  const policy = rotationPolicyOf(input.proposed);
  const sameRouting = same(input.actual.routing, input.proposed.routing);
  const slots: Slot[] = episodes.flatMap((e, index) => e.windows.map((w, k) => ({ index, k, from: w.from })));
  if (!sameRouting) slots.sort((a, b) => a.from - b.from || a.index - b.index || a.k - b.k);
  const rotations = new Map<string, RotationState>([['normal', initialRotation()], ['hot', initialRotation()]]);
  for (const slot of slots) {
    const episode = episodes[slot.index];
    const held = holders[slot.index];
    if (!episode || !held || unrouted.has(slot.index)) continue;
    const recorded = episode.rec.holders[slot.k];
    if (sameRouting && recorded) {
      held.push(recorded);
      continue;
    }
    const queue = episode.hot ? 'hot' : 'normal';
    const rotation = sameRouting ? { ...initialRotation(), lastRepId: held[held.length - 1] ?? null } : (rotations.get(queue) ?? initialRotation());
    const choice = chooseRep({ contract: { routing: policy }, rotation, lead: episode.props, now: new Date(slot.from), exclude: held });
    if (!choice.rep) {
      unrouted.set(slot.index, `SIGNAL MISSING: no rep of the proposal could take it at ${new Date(slot.from).toISOString()} (${choice.reason}); the wait for one is not replayed`);
      continue;
    }
    held.push(choice.rep.id || choice.rep.name);
    if (!sameRouting) rotations.set(queue, choice.rotation);
  }
  return { holders, unrouted };
}

export function replayEpisodes(input: ReplayInput): ReplayedEpisode[] {
  const prepared = input.episodes.map((rec) => {
    const qualified = qualifies(input, rec);
    const props = input.propsAtMql(rec) ?? {};
    const line = qualified !== false && rec.assignedAt !== undefined ? timeline(input, rec, rec.assignedAt) : undefined;
    const hot = isPriorityLead(input.proposed, props, new Date(rec.mqlAt));
    return { rec, qualified, line, windows: line?.windows ?? [], hot, props };
  });
  const { holders, unrouted } = dealHolders(input, prepared);
  return prepared.map((p, index): ReplayedEpisode => {
    const { rec, line } = p;
    const base: ReplayedEpisode = { recorded: rec, qualified: p.qualified !== false, holders: [], missedBy: [], decision: 'undecided', reattributed: false };
    if (p.qualified === undefined) Object.assign(base, { missingKind: 'props_at_mql', signalMissing: `SIGNAL MISSING: ${MISSING_SIGNALS.props_at_mql}` });
    if (!line || p.qualified === false) return base;
    const held = holders[index] ?? [];
    const why = unrouted.get(index);
    if (why) return { ...base, holders: held, decision: 'unknown', signalMissing: why, missingKind: 'unrouted' };
    const missedBy = held.slice(0, Math.min(line.at, held.length));
    const decider = line.at < held.length ? held[line.at] : undefined;
    const realDecider = rec.holders[rec.holders.length - 1];
    const out: ReplayedEpisode = { ...base, holders: held, missedBy, decision: line.decision, reattributed: (line.decision === 'accepted' || line.decision === 'rejected') && decider !== realDecider };
    if (line.decidedAt !== undefined) out.decidedAt = line.decidedAt;
    if (line.decision === 'unknown') {
      const ended = new Date(rec.decision.at).toISOString();
      out.missingKind = 'after_record';
      out.signalMissing = `SIGNAL MISSING: the proposal keeps the lead in ${decider ?? 'a rep'}'s window past ${ended}, where the recorded episode ended; what the rep would have done then was never recorded`;
    }
    return out;
  });
}

/** The episode's fact as the proposal would have stamped it, for the dashboard's own figure code. */
export function replayedFact(base: LeadFacts, replayed: ReplayedEpisode): LeadFacts {
  const d = replayed.decision;
  const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
  const accepted = d === 'accepted' ? iso(replayed.decidedAt) : null;
  const rejectedReason = d === 'rejected' && replayed.recorded.decision.kind === 'rejected' ? replayed.recorded.decision.reason : null;
  const outcome = d === 'reverted' ? 'REVERTED_SLA_MISSED' : d === 'rejected' ? 'REVERTED_REJECTED' : d === 'accepted' ? (base.episode?.outcome ?? null) : null;
  const outcomeAt = d === 'reverted' || d === 'rejected' ? iso(replayed.decidedAt) : d === 'accepted' ? (base.episode?.outcomeAt ?? null) : null;
  const episode = { ...(base.episode ?? { episode: base.hubspot[HS.mqlDate] ?? '' }) };
  delete episode.acceptedAt;
  delete episode.rejectionReason;
  delete episode.outcome;
  delete episode.outcomeAt;
  delete episode.missedBy;
  const owner = replayed.holders[replayed.holders.length - 1];
  if (owner) episode.ownerId = owner;
  // An unknown outcome is neither decided nor missed: its missed windows stay out of the acceptance rate.
  if (replayed.missedBy.length && d !== 'unknown') episode.missedBy = replayed.missedBy;
  if (accepted) episode.acceptedAt = accepted;
  if (rejectedReason) episode.rejectionReason = rejectedReason;
  if (outcome) episode.outcome = outcome;
  if (outcomeAt) episode.outcomeAt = outcomeAt;
  return {
    ...base,
    episode,
    hubspot: { ...base.hubspot, [HS.handoffAcceptedAt]: accepted, [HS.handoffRejectionReason]: rejectedReason, [HS.handoffOutcome]: outcome, [HS.handoffOutcomeAt]: outcomeAt },
  };
}
