/**
 * reconcile: pages HubSpot and Salesforce into the report store, classifies drift against the
 * contract, repairs what the policy allows and writes the report. Run by a Temporal Schedule and on
 * demand (`handoff-bridge reconcile`). History holds cursors and counts only, so 100,000 leads never
 * sit in it; snapshot activities heartbeat their page cursor and resume from it when retried.
 */
import { defineQuery, proxyActivities, setHandler, uuid4 } from '@temporalio/workflow';
import type { ReconcileActivities, PageCursor, PagesResult } from '../activities/reconcile';
import { NON_RETRYABLE_CRM_ERRORS } from '../mappings/crm';
import { workflowNow } from './clock';
import { RECONCILE_PROGRESS_QUERY, type ReconcileInput, type ReconcileProgress, type ReconcileResult } from '../api/reconcile';

/** How far a run has read: `reconcile` prints it as progress. */
export const reconcileProgressQuery = defineQuery<ReconcileProgress>(RECONCILE_PROGRESS_QUERY);

const paging = proxyActivities<ReconcileActivities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', nonRetryableErrorTypes: [...NON_RETRYABLE_CRM_ERRORS] },
});

/** A sortable, file-name-safe run id: the start instant, then a random suffix. */
function newRunId(now: Date): string {
  return `${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${uuid4().slice(0, 8)}`;
}

export async function reconcile(input: ReconcileInput): Promise<ReconcileResult> {
  const started = workflowNow();
  const now = started.toISOString();
  const runId = newRunId(started);
  const pages = input.pagesPerActivity ?? 25;
  const windowDays = input.windowDays ?? 30;
  const flipFlopWindowDays = input.flipFlopWindowDays ?? 30;
  const progress: ReconcileProgress = { runId, phase: 'hubspot', hubspot: { read: 0, total: 0 }, salesforce: { read: 0, total: 0 } };
  const calls = { hubspot: 0, salesforce: 0 };
  setHandler(reconcileProgressQuery, () => progress);

  const pageThrough = async (system: 'hubspot' | 'salesforce', read: (from: PageCursor) => Promise<PagesResult>): Promise<void> => {
    let from: PageCursor = { part: 1 };
    for (;;) {
      const result = await read(from);
      calls[system] += result.calls;
      progress[system].read += result.records;
      progress[system].total = progress[system].read + result.remaining;
      if (result.done) return;
      from = result.next;
    }
  };

  await pageThrough('hubspot', (from) => paging.snapshotHubSpotPages({ runId, from, maxPages: pages }));
  progress.phase = 'salesforce';
  await pageThrough('salesforce', (from) => paging.snapshotSalesforcePages({ runId, from, maxPages: pages }));

  progress.phase = 'people';
  const people = await paging.snapshotPeople({ runId });
  calls.hubspot += people.calls.hubspot;
  calls.salesforce += people.calls.salesforce;

  progress.phase = 'handoffs';
  await paging.snapshotHandoffs({ runId, portalId: input.portalId, now });

  progress.phase = 'histories';
  const histories = await paging.snapshotHistories({ runId, now, windowDays: flipFlopWindowDays });
  calls.hubspot += histories.calls;

  progress.phase = 'extras';
  const since = new Date(started.getTime() - windowDays * 86_400_000).toISOString();
  const extras = await paging.snapshotSalesforceExtras({ runId, since });
  calls.salesforce += extras.calls;

  progress.phase = 'classify';
  const classified = await paging.classifyRun({ runId, now, policy: input.policy, flipFlopWindowDays });

  progress.phase = 'repair';
  const repairs = classified.toRepair > 0 ? await paging.applyRepairs({ runId, portalId: input.portalId, handoffTaskQueue: input.handoffTaskQueue, now }) : { repaired: 0, failed: 0 };

  progress.phase = 'report';
  const report = await paging.writeReport({
    runId,
    portalId: input.portalId,
    now,
    windowDays,
    apiCalls: calls,
    histories: histories.contacts,
    ...(input.compareWithFile ? { compareWithFile: input.compareWithFile } : {}),
  });
  progress.phase = 'done';
  return {
    runId,
    reportDirectory: report.directory,
    files: report.files,
    counts: classified.counts,
    newCount: classified.newCount,
    repaired: repairs.repaired,
    repairFailed: repairs.failed,
    contacts: classified.contacts,
    leads: classified.leads,
    apiCalls: calls,
    commitmentsMet: report.commitmentsMet,
    commitmentsMeasured: report.commitmentsMeasured,
    signalsMissing: report.signalsMissing,
  };
}
