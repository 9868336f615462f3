/**
 * The SLA half of the reconciliation report, assembled from the lead facts: commitment figures, the
 * funnel, rejections, speed-to-lead, the delay split, the monthly review pack and, given an earlier
 * saved report, the quarterly comparison. Pure; the writers in worker/report/ only render it.
 */
import type { HandoffHealth } from './handoff-health';
import type { DriftClass, DriftItem, RepairMode, RepairPolicy } from './drift';
import { commitmentLineage, type Contract } from '../contract';
import { commitmentFigures, type CommitmentFigure, type ReportWindow } from './sla-figures';
import { episodeFacts, type DataQualityFinding } from './metrics-episodes';
import type { LeadFacts } from './metrics-facts';
import { delaySplit, FUNNEL_LINEAGE, funnelBySource, funnelSignalsMissing, rejectionsByReason, speedToLeadDistribution, type DelaySplit, type DistributionBucket, type FunnelRow, type FunnelStage, type RejectionRow, type StageLineage } from './metrics-funnel';
import { quarterlyComparison, reviewPack, type EarlierReport, type QuarterlyComparison, type ReviewPack } from './metrics-review';
import { sqlSignalFields } from '../contract';

export interface SlaReport {
  window: ReportWindow;
  commitments: CommitmentFigure[];
  funnel: FunnelRow[];
  /** Where each funnel stage is recorded and how (and how late) it reaches HubSpot. */
  funnelLineage: Record<FunnelStage, StageLineage>;
  rejections: RejectionRow[];
  speedToLead: { unit: string; buckets: DistributionBucket[] } | null;
  delays: DelaySplit;
  review: ReviewPack;
  quarterly?: QuarterlyComparison;
  /** Figures the data could not answer, gathered for the report's summary. */
  signalsMissing: string[];
  /** Episodes measured (a lead MQL'd twice is two) and data that cannot be right (never counted as a success). */
  episodes: number;
  dataQuality: DataQualityFinding[];
}

export function buildSlaReport(input: { contract: Contract; facts: LeadFacts[]; window: ReportWindow; now: string; earlier?: EarlierReport }): SlaReport {
  const { contract, window, now } = input;
  // Every figure reads one episode's stamps: a lead MQL'd twice is two handovers.
  const { facts, findings } = episodeFacts(contract, input.facts);
  const lineage = commitmentLineage(contract);
  const figures = commitmentFigures({ contract, lineage, facts, window, now });
  const rejections = rejectionsByReason(contract, facts, window);
  const review = reviewPack({ contract, lineage, facts, window, now, figures, rejections });
  const delays = delaySplit(contract, facts, window);
  const signalsMissing = figures.flatMap((f) => (f.signalMissing ? [`${f.commitmentId}: ${f.signalMissing}`] : []));
  if (delays.systemMeasured === 0) signalsMissing.push('system delay: SIGNAL MISSING: no handoff in the window has both an MQL date and handoff_assigned_at');
  if (delays.repMeasured === 0) signalsMissing.push('rep delay: SIGNAL MISSING: no handoff in the window has both handoff_alerted_at and a decision');
  const sqlFields = sqlSignalFields(contract);
  const funnel = funnelBySource(facts, window, sqlFields);
  for (const [stage, why] of Object.entries(funnelSignalsMissing(facts, sqlFields))) signalsMissing.push(`funnel ${stage}: ${why}`);
  const report: SlaReport = {
    window,
    commitments: figures,
    funnel,
    funnelLineage: FUNNEL_LINEAGE,
    rejections,
    speedToLead: speedToLeadDistribution(contract, facts, window),
    delays,
    review,
    signalsMissing,
    episodes: facts.filter((f) => f.episode !== undefined).length,
    dataQuality: findings,
  };
  if (input.earlier) report.quarterly = quarterlyComparison({ contract, earlier: input.earlier, figures, rejections, trigger: review.trigger });
  return report;
}

/** What became of one drift item in this run. */
export type DriftOutcome = 'reported' | 'repaired' | 'repair_failed' | 'not_repairable';

export interface DriftReportItem extends DriftItem {
  /** Not in the previous run's findings. */
  isNew: boolean;
  policy: RepairMode;
  outcome: DriftOutcome;
  outcomeDetail?: string;
}

/** The whole reconciliation report: the JSON file is exactly this, the other files render it. */
export interface ReconcileReport {
  runId: string;
  generatedAt: string;
  portalId: string;
  contract: { name: string; version: number };
  snapshot: { contacts: number; leads: number; histories: number; apiCalls: { hubspot: number; salesforce: number } };
  drift: {
    counts: Record<DriftClass, number>;
    newCount: number;
    repaired: number;
    repairFailed: number;
    policy: RepairPolicy;
    previousRunId?: string;
    items: DriftReportItem[];
  };
  sla: SlaReport;
  /** Handoffs that need a person: blocked by cause, and failed (absent in reports before it existed). */
  handoffs?: HandoffHealth;
}
