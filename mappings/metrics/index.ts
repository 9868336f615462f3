/** SLA figures from CRM facts: episodes, funnel, review, the reconciliation drift rules and the report. Other folders import from here only. */
export { classifyDrift, type ContactHistory, type PropertyVersion, type ContactSnapshot, countByClass, DRIFT_CLASS_INFO, DRIFT_CLASSES, type DriftClass, type DriftInputs, type DriftItem, type LeadSnapshot, type OpenHandoff, pairContacts, parseRepairPolicy, type Person, recordedStage, type RepairAction, type RepairPolicy } from './drift';
export { type EpisodeStamps, formatLedger, parseLedger, recordEpisode } from './episodes';
export { type BlockedHandoff, handoffHealth, type HandoffHealth } from './handoff-health';
export type { LeadFacts } from './metrics-facts';
export { type DistributionBucket, FUNNEL_LINEAGE, FUNNEL_STAGES, type FunnelRow } from './metrics-funnel';
export { buildSlaReport, type DriftOutcome, type DriftReportItem, type ReconcileReport, type SlaReport } from './metrics-report';
export { type EarlierReport, earlierReportSchema } from './metrics-review';
export { ATTAINMENT_BAR_PERCENT, commitmentFigure, type CommitmentFigure, inWindow, percent, type ReportWindow } from './sla-figures';
export { episodeFacts } from './metrics-episodes';
export { WHAT_IF_HINT } from './whatif-link';
