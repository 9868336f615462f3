/**
 * The reconcile workflow's public surface: input, result and the progress query the CLI's progress
 * bar reads. Only counts and cursors cross it: item lists stay in the report store.
 */
import type { DriftClass, RepairPolicy } from '../mappings/metrics';

export const RECONCILE_WORKFLOW = 'reconcile';

export interface ReconcileInput {
  portalId: string;
  /** Per drift class: report only, or repair (parseRepairPolicy reads RECONCILE_REPAIR). */
  policy: RepairPolicy;
  /** Where repairs start stranded handoffs (the bridge's orchestration queue). */
  handoffTaskQueue: string;
  /** Days the SLA figures cover, ending now. Default 30. */
  windowDays?: number;
  /** Days of property history a flip-flop counts in. Default 30. */
  flipFlopWindowDays?: number;
  /** An earlier JSON report for the quarterly comparison; else the newest stored one ≥ 80 days old. */
  compareWithFile?: string;
  /** Pages each snapshot activity reads before reporting progress. Default 25. */
  pagesPerActivity?: number;
}

export const RECONCILE_PHASES = ['hubspot', 'salesforce', 'people', 'handoffs', 'histories', 'extras', 'classify', 'repair', 'report', 'done'] as const;
export type ReconcilePhase = (typeof RECONCILE_PHASES)[number];

export interface ReconcileProgress {
  runId: string;
  phase: ReconcilePhase;
  hubspot: { read: number; total: number };
  salesforce: { read: number; total: number };
}

export interface ReconcileResult {
  runId: string;
  reportDirectory: string;
  files: string[];
  counts: Record<DriftClass, number>;
  newCount: number;
  repaired: number;
  repairFailed: number;
  contacts: number;
  leads: number;
  apiCalls: { hubspot: number; salesforce: number };
  commitmentsMet: number;
  commitmentsMeasured: number;
  signalsMissing: number;
}

export const RECONCILE_PROGRESS_QUERY = 'progress';
