/**
 * One lead as the SLA metrics see it: the HubSpot contact, its Salesforce lead, the opportunity it
 * converted into and the contact attempts logged on it, joined from the reconciliation snapshots.
 * Reading an event named by the contract (`{system, field}`) happens here and only here.
 */
import { HUBSPOT_PROPERTIES as HS, SALESFORCE_LEAD_FIELDS as SF } from '../crm';
import type { SnapshotValue } from './drift';
import type { EpisodeStamps } from './episodes';
import { parseInstant, type EventRef } from '../contract';

export interface ContactAttemptFact {
  createdAt: string;
  channel: string;
}

export interface LeadFacts {
  contactId: string;
  leadId?: string;
  hubspot: Record<string, string | null>;
  salesforce: Record<string, SnapshotValue>;
  /** StageName of the opportunity the lead converted into. */
  opportunityStage?: string;
  /** Salesforce Tasks on the lead; undefined when tasks were not read (the signal is missing). */
  attempts?: ContactAttemptFact[];
  /** The episode this fact measures (see metrics-episodes.ts); absent for a contact never handed over. */
  episode?: EpisodeStamps;
}

export const UNKNOWN_SOURCE = 'UNKNOWN';

export function leadSource(fact: LeadFacts): string {
  return fact.hubspot[HS.leadSource] ?? UNKNOWN_SOURCE;
}

function asText(value: SnapshotValue | undefined): string | null {
  if (value === null || value === undefined) return null;
  const s = String(value).trim();
  return s === '' ? null : s;
}

/** The raw value an event reference names, or null when blank. Bridge stamps are read from HubSpot. */
export function eventValue(fact: LeadFacts, ref: EventRef): string | null {
  if (ref.system === 'salesforce') {
    if (ref.field.startsWith('Task.')) return fact.attempts?.map((a) => a.createdAt).sort()[0] ?? null;
    return asText(fact.salesforce[ref.field]);
  }
  return fact.hubspot[ref.field] ?? null;
}

/** The instant an event reference names, in epoch ms. */
export function eventAt(fact: LeadFacts, ref: EventRef): number | undefined {
  const value = eventValue(fact, ref);
  return value === null ? undefined : parseInstant(value);
}

export function instantOf(value: string | null | undefined): number | undefined {
  return value ? parseInstant(value) : undefined;
}

/** Was the Salesforce field read at all? A field never asked for cannot be measured. */
export function fieldWasRead(facts: LeadFacts[], ref: EventRef): boolean {
  if (ref.system !== 'salesforce') return true;
  if (ref.field.startsWith('Task.')) return facts.some((f) => f.attempts !== undefined);
  return facts.some((f) => ref.field in f.salesforce);
}

export function rejectionReasonOf(fact: LeadFacts): string | null {
  return asText(fact.salesforce[SF.rejectionReason]) ?? fact.hubspot[HS.handoffRejectionReason] ?? null;
}
