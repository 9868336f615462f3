/**
 * What-if, step one: what one episode's record says happened, in the terms the replay needs — who held
 * the lead in turn, when it was decided (or until when we know it was not), and the contact's
 * properties at its MQL instant. Read from the facts the reconciliation builds (metrics-episodes.ts),
 * never from the CRMs. Pure.
 */
import type { PropertyVersion } from '../metrics';
import type { LeadFacts } from '../metrics';
import { HUBSPOT_PROPERTIES as HS } from '../crm';
import { parseInstant, type Props } from '../contract';

export type RecordedDecision =
  | { kind: 'accepted'; at: number }
  | { kind: 'rejected'; at: number; reason: string }
  /** No decision: the reps' windows ran out and the lead went back to nurture at `at`. */
  | { kind: 'reverted'; at: number }
  /**
   * No decision as far as the record goes, until `at`: still open (`at` is now), or the episode ended
   * another way at `at` (then nothing after `at` is known).
   */
  | { kind: 'none'; at: number; open: boolean };

export interface RecordedEpisode {
  /** The reconciliation's fact for this episode (its stamps overlaid). */
  fact: LeadFacts;
  mqlAt: number;
  /** The episode's first assignment: absent when the episode was never assigned. */
  assignedAt?: number;
  /** The latest (re)assignment, when the record has it. */
  lastAssignedAt?: number;
  /** The reps who held the lead, in order: those who missed their window, then the one holding it last. */
  holders: string[];
  decision: RecordedDecision;
}

const at = (value: string | null | undefined): number | undefined => (value ? parseInstant(value) : undefined);

/** Reps in the order they held the lead: every rep who missed, then the owner if not the last who missed. */
export function recordedHolders(fact: LeadFacts): string[] {
  const missed = fact.episode?.missedBy ?? [];
  const owner = fact.episode?.ownerId;
  return owner && missed[missed.length - 1] !== owner ? [...missed, owner] : [...missed];
}

function recordedDecision(fact: LeadFacts, now: number): RecordedDecision {
  const accepted = at(fact.hubspot[HS.handoffAcceptedAt]);
  if (accepted !== undefined) return { kind: 'accepted', at: accepted };
  const ep = fact.episode;
  const outcomeAt = at(ep?.outcomeAt ?? fact.hubspot[HS.handoffOutcomeAt]);
  if (ep?.rejectionReason && outcomeAt !== undefined) return { kind: 'rejected', at: outcomeAt, reason: ep.rejectionReason };
  const outcome = ep?.outcome ?? fact.hubspot[HS.handoffOutcome];
  if (outcome === 'REVERTED_SLA_MISSED' && outcomeAt !== undefined) return { kind: 'reverted', at: outcomeAt };
  const ended = outcomeAt !== undefined && Boolean(outcome) && outcomeAt < now;
  return { kind: 'none', at: ended ? outcomeAt : now, open: !ended };
}

/** The episodes of the facts (one fact per episode, as episodeFacts returns them) whose record can be replayed. */
export function recordedEpisodes(facts: LeadFacts[], now: number): RecordedEpisode[] {
  return facts.flatMap((fact) => {
    const mqlAt = at(fact.hubspot[HS.mqlDate]);
    if (mqlAt === undefined) return [];
    const assignedAt = at(fact.hubspot[HS.handoffAssignedAt]);
    const lastAssignedAt = at(fact.episode?.lastAssignedAt);
    return [{ fact, mqlAt, ...(assignedAt !== undefined ? { assignedAt } : {}), ...(lastAssignedAt !== undefined ? { lastAssignedAt } : {}), holders: recordedHolders(fact), decision: recordedDecision(fact, now) }];
  });
}

/** Each property's value at an instant, from its history (newest version at or before it); blank when none. */
export function propertiesAt(history: Record<string, PropertyVersion[]>, instant: number): Props {
  const props: Props = {};
  for (const [name, versions] of Object.entries(history)) {
    const before = versions.filter((v) => (parseInstant(v.timestamp) ?? Infinity) <= instant).sort((a, b) => (parseInstant(b.timestamp) ?? 0) - (parseInstant(a.timestamp) ?? 0));
    props[name] = before[0]?.value ?? null;
  }
  return props;
}
