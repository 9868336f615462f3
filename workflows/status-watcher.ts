/**
 * salesforceStatusWatcher: polls Salesforce for lead changes since a cursor and forwards each one to
 * its lead's handoff as a signal, so acceptance in Salesforce reaches the workflow without a rep ever
 * touching the bridge. Rolls over with continue-as-new, carrying only the cursor.
 */
import { continueAsNew, proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import type { SalesforceCursor } from '../activities/ports';
import type { BridgeLoopActivities, SalesforceWatchActivities } from '../activities/loop-activities';
import { bridge, crmCall } from './activity-profiles';
import { workflowNow } from './clock';
import { salesforceTaskQueue } from './ids';

export interface StatusWatcherInput {
  portalId: string;
  cursor?: SalesforceCursor;
  /** Time between polls when caught up (e.g. '30 seconds'). */
  pollInterval: string;
  pageSize?: number;
}

const POLLS_PER_RUN = 500;

export async function salesforceStatusWatcher(input: StatusWatcherInput): Promise<never> {
  const { pollLeadChanges } = proxyActivities<SalesforceWatchActivities>({
    ...crmCall,
    taskQueue: salesforceTaskQueue(workflowInfo().taskQueue),
  });
  const { forwardLeadChanges } = proxyActivities<BridgeLoopActivities>(bridge);
  const pageSize = input.pageSize ?? 200;
  // Salesforce filters SystemModstamp at whole seconds: start on one, so nothing in this second is missed.
  let cursor = input.cursor ?? { since: `${workflowNow().toISOString().slice(0, 19)}.000Z` };

  for (let poll = 0; poll < POLLS_PER_RUN && !workflowInfo().continueAsNewSuggested; poll++) {
    const page = await pollLeadChanges({ cursor, limit: pageSize });
    if (page.changes.length) await forwardLeadChanges({ portalId: input.portalId, changes: page.changes });
    cursor = page.cursor;
    if (page.changes.length < pageSize) await sleep(input.pollInterval);
  }
  return continueAsNew<typeof salesforceStatusWatcher>({ ...input, cursor });
}
