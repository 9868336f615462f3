/**
 * salesforceStatusWatcher: polls Salesforce for lead changes since a cursor and forwards each one to
 * its lead's handoff as a signal, so acceptance in Salesforce reaches the workflow without a rep ever
 * touching the bridge. Rolls over with continue-as-new, carrying only the cursor (a settled position
 * and the few changes past it already forwarded, so none is forwarded twice).
 */
import { msToNumber } from '@temporalio/common/lib/time';
import { patched, proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import type { SalesforceCursor } from '../activities/ports';
import type { BridgeLoopActivities, SalesforceWatchActivities } from '../activities/handoff';
import { bridge, crmCall } from './activity-profiles';
import { workflowNow } from './clock';
import { newVersionIsTarget, rollOver } from './entity-rollover';
import { salesforceTaskQueue } from '../api/ids';

export interface StatusWatcherInput {
  portalId: string;
  cursor?: SalesforceCursor;
  /** Time from one poll's start to the next when caught up (e.g. '30 seconds'). */
  pollInterval: string;
  pageSize?: number;
  /** Polls before continue-as-new (default 500; sooner when the server suggests it). */
  pollsPerRun?: number;
}

/**
 * Watchers started before this change slept the whole interval after each poll and forward, and
 * polled again at once only after a page of `pageSize` changes.
 */
export const POLL_ON_INTERVAL_PATCH = 'watcher-polls-on-interval';

const POLLS_PER_RUN = 500;

export async function salesforceStatusWatcher(input: StatusWatcherInput): Promise<never> {
  const { pollLeadChanges } = proxyActivities<SalesforceWatchActivities>({
    ...crmCall,
    taskQueue: salesforceTaskQueue(workflowInfo().taskQueue),
  });
  const { forwardLeadChanges } = proxyActivities<BridgeLoopActivities>(bridge);
  const pageSize = input.pageSize ?? 200;
  const pollsPerRun = input.pollsPerRun ?? POLLS_PER_RUN;
  // A new watcher reads from when it was started, not from its first workflow task (seconds later under
  // load, minutes when no worker was up), on a whole second: Salesforce filters SystemModstamp at
  // seconds. `startTime` is the start event's; `runStartTime` is the first task's.
  let cursor = input.cursor ?? { since: `${workflowInfo().startTime.toISOString().slice(0, 19)}.000Z` };
  const onInterval = patched(POLL_ON_INTERVAL_PATCH);

  // A new target version ends the run too: its next run polls on the new version (entity-rollover.ts).
  for (let poll = 0; poll < pollsPerRun && !workflowInfo().continueAsNewSuggested && !newVersionIsTarget(); poll++) {
    const startedAt = workflowNow().getTime();
    const page = await pollLeadChanges({ cursor, limit: pageSize });
    if (page.changes.length) await forwardLeadChanges({ portalId: input.portalId, changes: page.changes });
    cursor = page.cursor;
    if (!onInterval) {
      if (page.changes.length < pageSize) await sleep(input.pollInterval);
      continue;
    }
    // Changes already forwarded are not returned again, so a short page can still mean more to read.
    if (page.more ?? page.changes.length >= pageSize) continue;
    // The interval runs from the poll's start: a change waits at most one interval for the poll that sees it.
    const rest = msToNumber(input.pollInterval) - (workflowNow().getTime() - startedAt);
    if (rest > 0) await sleep(rest);
  }
  return rollOver<typeof salesforceStatusWatcher>()({ ...input, cursor });
}
