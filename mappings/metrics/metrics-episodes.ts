/**
 * Lead facts, one per episode: a contact's ledger becomes one fact per MQL → handoff run, each seeing
 * only its own episode's stamps (overlaid on the flat bridge stamps the commitments name), the
 * Salesforce acceptance and Tasks that fall inside it, and — for the episode the lead converted in —
 * its opportunity. A contact without a ledger (stamped before episodes existed) is one episode made of
 * its flat stamps. Pure.
 */
import { HUBSPOT_PROPERTIES as HS, SALESFORCE_LEAD_FIELDS as SF } from '../crm';
import { parseLedger, type EpisodeStamps } from './episodes';
import type { LeadFacts } from './metrics-facts';
import { evaluateDefinition, parseInstant, type Contract } from '../contract';

/** A finding about the data itself (not a figure): shown in the report, never counted as a success. */
export interface DataQualityFinding {
  contactId: string;
  episode: string;
  kind: 'acceptance_before_assignment';
  detail: string;
}

const at = (value: string | null | undefined): number | undefined => (value ? parseInstant(value) : undefined);

/** Lead fields that belong to the lead's latest episode only (status, SLA stamps, conversion). */
const LATEST_EPISODE_FIELDS = [SF.status, SF.assignedAt, SF.slaDeadline, SF.acceptedAt, SF.firstAttemptAt, SF.rejectionReason, SF.convertedOpportunityId, SF.isConverted, SF.mqlAt];

function legacyEpisode(fact: LeadFacts): EpisodeStamps | undefined {
  const h = fact.hubspot;
  const episode = h[HS.mqlDate] ?? h[HS.handoffAssignedAt];
  if (!episode) return undefined;
  const stamps: EpisodeStamps = { episode };
  const copy: Array<[keyof EpisodeStamps, string]> = [
    ['assignedAt', HS.handoffAssignedAt],
    ['alertedAt', HS.handoffAlertedAt],
    ['acceptedAt', HS.handoffAcceptedAt],
    ['firstAttemptAt', HS.handoffFirstAttemptAt],
    ['rejectionReason', HS.handoffRejectionReason],
    ['outcome', HS.handoffOutcome],
    ['outcomeAt', HS.handoffOutcomeAt],
  ];
  for (const [key, property] of copy) {
    const value = h[property];
    if (value) (stamps as unknown as Record<string, string>)[key] = value;
  }
  return stamps;
}

function salesforceAcceptance(contract: Contract, fact: LeadFacts): string | undefined {
  const fields = Object.fromEntries(Object.entries(fact.salesforce).map(([k, v]) => [k, v === null || v === undefined ? null : String(v)]));
  const accepted = fields[SF.acceptedAt];
  if (!accepted) return undefined;
  return evaluateDefinition(contract.definitions.sal, fields, new Date(at(accepted) ?? 0)).met || fact.salesforce[SF.isConverted] === true ? accepted : undefined;
}

export function episodeFacts(contract: Contract, facts: LeadFacts[]): { facts: LeadFacts[]; findings: DataQualityFinding[] } {
  const out: LeadFacts[] = [];
  const findings: DataQualityFinding[] = [];
  const counted = new Set<string>(contract.contactAttempts.channels);
  for (const fact of facts) {
    const ledger = parseLedger(fact.hubspot[HS.handoffEpisodes]);
    const episodes = ledger.length ? ledger : [legacyEpisode(fact)].filter((e): e is EpisodeStamps => e !== undefined);
    if (!episodes.length) {
      out.push(fact);
      continue;
    }
    episodes.forEach((ep, i) => {
      const latest = i === episodes.length - 1;
      const begins = at(ep.episode) ?? 0;
      const ends = at(episodes[i + 1]?.episode) ?? Number.POSITIVE_INFINITY;
      const inEpisode = (t: number | undefined): boolean => t !== undefined && t >= begins && t < ends;
      const assigned = at(ep.assignedAt);

      const salesforce = { ...fact.salesforce };
      if (!latest) for (const field of LATEST_EPISODE_FIELDS) delete salesforce[field];
      const episodeFact: LeadFacts = { ...fact, salesforce, episode: ep };
      if (!latest) delete episodeFact.opportunityStage;

      // Attempts: Tasks of counted channels logged from the first assignment until the next episode.
      if (fact.attempts) {
        episodeFact.attempts = fact.attempts.filter((a) => {
          const t = at(a.createdAt);
          return counted.has(a.channel) && assigned !== undefined && t !== undefined && t >= assigned && t < ends;
        });
      }
      const firstTask = episodeFact.attempts?.map((a) => a.createdAt).sort((a, b) => (at(a) ?? 0) - (at(b) ?? 0))[0];

      // Acceptance, whichever system recorded it; before the assignment it is a finding, not an acceptance.
      let accepted = ep.acceptedAt ?? (latest ? salesforceAcceptance(contract, fact) : undefined);
      const acceptedAt = at(accepted);
      if (accepted && acceptedAt !== undefined && (assigned === undefined || acceptedAt < assigned)) {
        findings.push({ contactId: fact.contactId, episode: ep.episode, kind: 'acceptance_before_assignment', detail: `accepted ${accepted}, assigned ${ep.assignedAt ?? 'never'}` });
        accepted = undefined;
      }
      if (accepted && !inEpisode(acceptedAt)) accepted = undefined;

      const sqlDate = fact.hubspot[HS.sqlDate];
      episodeFact.hubspot = {
        ...fact.hubspot,
        [HS.mqlDate]: ep.episode,
        [HS.handoffEpisode]: ep.episode,
        [HS.handoffAssignedAt]: ep.assignedAt ?? null,
        [HS.handoffAlertedAt]: ep.alertedAt ?? null,
        [HS.handoffAcceptedAt]: accepted ?? null,
        [HS.handoffFirstAttemptAt]: firstTask ?? (fact.attempts ? null : (ep.firstAttemptAt ?? null)),
        [HS.handoffOutcome]: ep.outcome ?? null,
        [HS.handoffOutcomeAt]: ep.outcomeAt ?? null,
        [HS.handoffRejectionReason]: ep.rejectionReason ?? null,
        [HS.sqlDate]: inEpisode(at(sqlDate)) ? (sqlDate ?? null) : null,
      };
      out.push(episodeFact);
    });
  }
  return { facts: out, findings };
}
