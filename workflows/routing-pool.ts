/**
 * The routing queue's record of its portal's CRM pool: workers report reads whose content changed
 * (poolReport signal); the queue keeps the latest and the last changes (mappings/routing/pool-state.ts)
 * for `leads stuck` and `sla check --live`, and carries them across continue-as-new. A report whose
 * content the queue already holds (another replica's read of the same pool) changes nothing.
 */
import { defineQuery, defineSignal, setHandler } from '@temporalio/workflow';
import { recordPoolReport, type PoolReport, type PoolState } from '../mappings/routing';
import { POOL_REPORT_SIGNAL, POOL_STATE_QUERY } from '../api/routing';

export const poolReportSignal = defineSignal<[PoolReport]>(POOL_REPORT_SIGNAL);
export const poolStateQuery = defineQuery<PoolState | null>(POOL_STATE_QUERY);

export function trackPool(carried: PoolState | undefined): { carry(): { pool?: PoolState } } {
  let state = carried;
  setHandler(poolReportSignal, (report) => {
    state = recordPoolReport(state, report);
  });
  setHandler(poolStateQuery, () => state ?? null);
  return { carry: () => (state ? { pool: state } : {}) };
}
