/**
 * The episode ledger as the handoff keeps it: every HubSpot write carries the episode (its MQL date)
 * and the ledger entry of this episode rebuilt from the handoff's own marks, so the report can keep
 * one MQL → handoff run apart from the next. Pure (workflow-safe).
 */
import { HUBSPOT_PROPERTIES as HS } from '../../mappings/crm';
import { formatLedger, parseLedger, recordEpisode, type EpisodeStamps } from '../../mappings/metrics';
import type { HandoffState } from '../../api/handoff';

export interface EpisodeLedger {
  /** The properties that carry the episode, to merge into a HubSpot write of `properties`. */
  propertiesFor(state: HandoffState, properties: Record<string, string>): Record<string, string>;
  /** The outcome last written in this episode: a run continued as new carries it on. */
  lastOutcome(): { outcome?: string; outcomeAt?: string };
}

export function episodeLedger(
  previous: string | null | undefined,
  extra: { missedBy: string[]; missingAtHandover: () => string[] | undefined },
  carried: { outcome?: string; outcomeAt?: string } = {},
): EpisodeLedger {
  const ledger = parseLedger(previous);
  let { outcome, outcomeAt } = carried;
  return {
    lastOutcome: () => ({ ...(outcome !== undefined ? { outcome } : {}), ...(outcomeAt !== undefined ? { outcomeAt } : {}) }),
    propertiesFor(state, properties) {
      outcome = properties[HS.handoffOutcome] ?? outcome;
      outcomeAt = properties[HS.handoffOutcomeAt] ?? outcomeAt;
      const m = state.marks;
      const episode = m.mqlAt ?? m.handoffStartedAt ?? '';
      const stamps: EpisodeStamps = { episode };
      const set = (key: Exclude<keyof EpisodeStamps, 'episode' | 'missedBy' | 'missingAtHandover'>, value: string | undefined) => {
        if (value) stamps[key] = value;
      };
      set('assignedAt', m.firstAssignedAt);
      set('alertedAt', m.firstAlertedAt);
      set('lastAssignedAt', m.assignedAt);
      set('lastAlertedAt', m.alertedAt);
      set('ownerId', state.ownerId);
      set('acceptedAt', m.acceptedAt);
      set('firstAttemptAt', m.firstAttemptAt);
      set('rejectionReason', state.rejectionReason);
      set('outcome', outcome);
      set('outcomeAt', outcomeAt);
      if (extra.missedBy.length) stamps.missedBy = [...extra.missedBy];
      const missing = extra.missingAtHandover();
      if (missing) stamps.missingAtHandover = missing;
      return { [HS.handoffEpisode]: episode, [HS.handoffEpisodes]: formatLedger(recordEpisode(ledger, stamps)) };
    },
  };
}
