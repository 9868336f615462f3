/**
 * The dashboard's pictures as numbers: the MQL → SAL → SQL → opportunity → won funnel by lead source,
 * rejected leads by reason, the speed-to-lead distribution, and system delay kept apart from rep
 * delay. Each says where its events were recorded and whether it crosses the integration. Pure.
 */
import { HUBSPOT_PROPERTIES as HS, lifecycleRank, OPPORTUNITY_WON, SALESFORCE_LEAD_FIELDS as SF } from '../crm';
import { elapsedMinutes, inWindow, median, type ReportWindow } from './sla-figures';
import { eventAt, instantOf, leadSource, rejectionReasonOf, type LeadFacts } from './metrics-facts';
import { routeLagMinutes, type Contract, type CrossingRoute } from '../contract';

export const FUNNEL_STAGES = ['MQL', 'SAL', 'SQL', 'Opportunity', 'Won'] as const;
export type FunnelStage = (typeof FUNNEL_STAGES)[number];

export interface StageLineage {
  system: string;
  field: string;
  crossesIntegration: boolean;
  crossesVia: CrossingRoute[];
  lagMinutes: number;
}

const crossing = (system: string, field: string, via: CrossingRoute): StageLineage => ({ system, field, crossesIntegration: true, crossesVia: [via], lagMinutes: routeLagMinutes(via, 0) });

/**
 * Where each funnel stage is recorded and how it reaches HubSpot: SAL (the SAL definition's Salesforce
 * status and accepted-at field), SQL (its definition over Salesforce fields) and the conversion reach
 * the bridge through its watcher; Won through its daily check of the converted opportunity.
 */
export const FUNNEL_LINEAGE: Record<FunnelStage, StageLineage> = {
  MQL: { system: 'hubspot', field: HS.mqlDate, crossesIntegration: false, crossesVia: [], lagMinutes: 0 },
  SAL: crossing('bridge', HS.handoffAcceptedAt, 'watcher'),
  SQL: crossing('bridge', HS.sqlDate, 'watcher'),
  Opportunity: crossing('salesforce', SF.convertedOpportunityId, 'watcher'),
  Won: crossing('salesforce', 'Opportunity.StageName = Closed Won', 'opportunity_check'),
};

export interface FunnelRow {
  source: string;
  /** null: the org does not have the stage's fields (SIGNAL MISSING), never 0. */
  counts: Record<FunnelStage, number | null>;
}

/**
 * The funnel stages the snapshot cannot answer, each with why (the field no lead was read with). SQL
 * needs the SQL definition's Lead fields (`sqlFields`): an org without them never lets the bridge see
 * a lead become SQL, so its SQL count would be a false 0.
 */
export function funnelSignalsMissing(facts: LeadFacts[], sqlFields: readonly string[] = []): Partial<Record<FunnelStage, string>> {
  const missing: Partial<Record<FunnelStage, string>> = {};
  const anyLead = facts.some((f) => f.leadId !== undefined);
  const unreadSql = anyLead ? sqlFields.filter((field) => !facts.some((f) => field in f.salesforce)) : [];
  if (unreadSql.length) missing.SQL = `SIGNAL MISSING: the SQL definition's Lead fields ${unreadSql.join(', ')} could not be read (the org lacks them): no lead can be seen to become SQL`;
  if (anyLead && !facts.some((f) => SF.convertedOpportunityId in f.salesforce)) {
    missing.Opportunity = `SIGNAL MISSING: Lead.${SF.convertedOpportunityId} could not be read`;
  }
  if (missing.Opportunity || (facts.some((f) => f.salesforce[SF.convertedOpportunityId]) && !facts.some((f) => f.opportunityStage !== undefined))) {
    missing.Won = 'SIGNAL MISSING: the converted opportunities\' StageName could not be read';
  }
  return missing;
}

function reached(fact: LeadFacts, stage: FunnelStage): boolean {
  const lifecycle = fact.hubspot[HS.lifecycleStage] ?? '';
  switch (stage) {
    case 'MQL':
      return true;
    case 'SAL':
      return fact.hubspot[HS.handoffAcceptedAt] != null || reached(fact, 'SQL');
    case 'SQL':
      return fact.hubspot[HS.sqlDate] != null || (lifecycleRank(lifecycle) >= lifecycleRank('salesqualifiedlead') && lifecycleRank(lifecycle) <= lifecycleRank('customer')) || reached(fact, 'Opportunity');
    case 'Opportunity':
      return fact.salesforce[SF.convertedOpportunityId] != null || fact.hubspot[`hs_lifecyclestage_opportunity_date`] != null || reached(fact, 'Won');
    case 'Won':
      // Won is Salesforce's answer only: the converted opportunity closed won, never HubSpot's lifecycle.
      return fact.opportunityStage === OPPORTUNITY_WON;
  }
}

/** MQLs of the window (by MQL date) and how far each got, per lead source, plus an "All sources" row. */
export function funnelBySource(facts: LeadFacts[], window: ReportWindow, sqlFields: readonly string[] = []): FunnelRow[] {
  const missing = funnelSignalsMissing(facts, sqlFields);
  const cohort = facts.filter((f) => inWindow(instantOf(f.hubspot[HS.mqlDate]), window));
  const rows = new Map<string, FunnelRow>();
  const all: FunnelRow = { source: 'All sources', counts: { MQL: 0, SAL: 0, SQL: 0, Opportunity: 0, Won: 0 } };
  for (const fact of cohort) {
    const source = leadSource(fact);
    const row = rows.get(source) ?? { source, counts: { MQL: 0, SAL: 0, SQL: 0, Opportunity: 0, Won: 0 } };
    for (const stage of FUNNEL_STAGES) {
      if (!reached(fact, stage)) continue;
      row.counts[stage] = (row.counts[stage] ?? 0) + 1;
      all.counts[stage] = (all.counts[stage] ?? 0) + 1;
    }
    rows.set(source, row);
  }
  for (const row of [...rows.values(), all]) for (const stage of FUNNEL_STAGES) if (missing[stage]) row.counts[stage] = null;
  return [...[...rows.values()].sort((a, b) => (b.counts.MQL ?? 0) - (a.counts.MQL ?? 0) || a.source.localeCompare(b.source)), all];
}

export interface RejectionRow {
  code: string;
  label: string;
  recyclable: boolean | null;
  count: number;
}

/** Leads handed over in the window, by the reason they came back: the taxonomy's codes, then SLA misses. */
export function rejectionsByReason(contract: Contract, facts: LeadFacts[], window: ReportWindow): RejectionRow[] {
  const counts = new Map<string, number>();
  for (const fact of facts) {
    if (!inWindow(instantOf(fact.hubspot[HS.handoffAssignedAt]), window)) continue;
    const reason = fact.episode ? episodeReason(fact) : rejectionReasonOf(fact);
    if (reason) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  const rows: RejectionRow[] = contract.rejectionTaxonomy.map((r) => ({ code: r.code, label: r.label, recyclable: r.recyclable, count: counts.get(r.code) ?? 0 }));
  for (const [code, count] of counts) {
    if (!contract.rejectionTaxonomy.some((r) => r.code === code)) {
      rows.push({ code, label: code === 'SLA_MISSED' ? 'Not accepted within the window (reverted)' : 'Outside the taxonomy', recyclable: null, count });
    }
  }
  return rows.sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
}

/** The episode's own reason: its rejection, or SLA_MISSED when its windows ran out; never another episode's. */
function episodeReason(fact: LeadFacts): string | null {
  const ep = fact.episode;
  if (!ep) return null;
  if (ep.rejectionReason) return ep.rejectionReason;
  return ep.outcome === 'REVERTED_SLA_MISSED' ? 'SLA_MISSED' : null;
}

export interface DistributionBucket {
  label: string;
  /** Upper bound in minutes (exclusive); null for the open last bucket and for "no attempt yet". */
  below: number | null;
  count: number;
}

const SPEED_BUCKETS = [5, 15, 30, 60, 240, 480];

/** Speed-to-lead (the speed_to_lead commitment's start → stop on its clock) in buckets. */
export function speedToLeadDistribution(contract: Contract, facts: LeadFacts[], window: ReportWindow): { unit: string; buckets: DistributionBucket[] } | null {
  const commitment = contract.commitments.find((c) => c.id === 'speed_to_lead');
  if (commitment?.measure.kind !== 'duration') return null;
  const m = commitment.measure;
  const buckets: DistributionBucket[] = [
    ...SPEED_BUCKETS.map((b, i) => ({ label: `${i === 0 ? 0 : SPEED_BUCKETS[i - 1]}–${b}`, below: b, count: 0 })),
    { label: `${SPEED_BUCKETS[SPEED_BUCKETS.length - 1]}+`, below: null, count: 0 },
    { label: 'no attempt yet', below: null, count: 0 },
  ];
  for (const fact of facts) {
    const start = eventAt(fact, m.start);
    if (!inWindow(start, window)) continue;
    const stop = eventAt(fact, m.stop);
    const bucket =
      stop === undefined
        ? buckets[buckets.length - 1]
        : (() => {
            const minutes = Math.max(0, elapsedMinutes(contract, m.clock, start, stop));
            return buckets.find((b) => b.below !== null && minutes < b.below) ?? buckets[buckets.length - 2];
          })();
    if (bucket) bucket.count += 1;
  }
  return { unit: m.clock === 'business' ? 'business minutes' : 'minutes', buckets };
}

export interface DelaySplit {
  /** MQL → first assignment + first assignment → alert delivered (connector, bridge, routing, notifier), calendar minutes. */
  systemMedianMinutes: number | null;
  systemMeasured: number;
  /** Alert delivered (to the deciding rep) → acceptance or rejection, business minutes: the rep's. */
  repMedianMinutes: number | null;
  repMeasured: number;
  /** Missed acceptance windows per rep: always the rep's delay, never the system's. */
  missedWindowsByRep: Record<string, number>;
}

/** The delay split over the episodes first assigned in the window. */
export function delaySplit(contract: Contract, facts: LeadFacts[], window: ReportWindow): DelaySplit {
  const system: number[] = [];
  const rep: number[] = [];
  const missedWindowsByRep: Record<string, number> = {};
  for (const fact of facts) {
    const assigned = instantOf(fact.hubspot[HS.handoffAssignedAt]);
    if (!inWindow(assigned, window)) continue;
    const mql = instantOf(fact.hubspot[HS.mqlDate]);
    const alerted = instantOf(fact.hubspot[HS.handoffAlertedAt]);
    if (mql !== undefined && alerted !== undefined) system.push(Math.max(0, (assigned - mql) / 60_000) + Math.max(0, (alerted - assigned) / 60_000));
    const lastAlerted = instantOf(fact.episode?.lastAlertedAt) ?? alerted;
    const accepted = instantOf(fact.hubspot[HS.handoffAcceptedAt]);
    const rejected = fact.episode?.rejectionReason ? instantOf(fact.episode.outcomeAt) : undefined;
    const decided = accepted ?? rejected;
    if (lastAlerted !== undefined && decided !== undefined) rep.push(Math.max(0, elapsedMinutes(contract, 'business', lastAlerted, decided)));
    for (const who of fact.episode?.missedBy ?? []) missedWindowsByRep[who] = (missedWindowsByRep[who] ?? 0) + 1;
  }
  const round = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
  return { systemMedianMinutes: round(median(system)), systemMeasured: system.length, repMedianMinutes: round(median(rep)), repMeasured: rep.length, missedWindowsByRep };
}
