/** Reconciliation: the snapshot, classification, repair and report activities, and the ports they read and write through. Other folders import from here only. */
export { createReconcileActivities, DEFAULT_RECONCILE_RATES, type ReconcileActivities, type ReconcileDeps } from './reconcile-activities';
export { blockedHandoffsQuery, failedHandoffsQuery, stuckHandoffsQuery } from './reconcile-extras';
export { HUBSPOT_HISTORY_BATCH, type ReconcileReadsPort, type ReportRenderer, type ReportStore } from './reconcile-ports';
export { createReconcileReadsAdapter } from './reconcile-reads-adapter';
export { readWithOptionalFields } from './optional-lead-fields';
export { createDirectoryReportStore } from './reconcile-report-store';
export { cadenceSchema, ensureReconcileSchedule } from './reconcile-schedule';
export type { PageCursor, PagesResult } from './reconcile-snapshot';
export { propertiesAtMqlNeeded, readWhatIfFacts, type WhatIfFacts, type WhatIfReads } from './whatif-facts';
