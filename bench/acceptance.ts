/**
 * Acceptance detection: a rep sets the lead's status in Salesforce → the handoff's state says SAL.
 * The bridge learns it only through the status watcher's polls, so the figure is bounded by the poll
 * interval; changes are spread over several intervals to sample every phase of the poll.
 */
import { SALESFORCE_LEAD_FIELDS as SF } from '../mappings/crm';
import { stateQuery } from '../workflows/handoff';
import { statusWatcherWorkflowId } from '../api/ids';
import { salesforceStatusWatcher } from '../workflows/status-watcher';
import type { BridgeRun } from './support/bridge-run';
import { waitUntil } from './support/stats';

export interface AcceptanceResult {
  /** Milliseconds from the Salesforce change to the workflow recording the acceptance. */
  latencies: number[];
  undetected: number;
  pollIntervalMs: number;
}

export async function measureAcceptanceDetection(run: BridgeRun, contactIds: string[], pollIntervalSeconds: number): Promise<AcceptanceResult> {
  const pollIntervalMs = pollIntervalSeconds * 1000;
  const watcher = await run.client.workflow.start(salesforceStatusWatcher, {
    workflowId: statusWatcherWorkflowId(run.portalId),
    taskQueue: run.taskQueue,
    args: [{ portalId: run.portalId, pollInterval: `${pollIntervalSeconds} seconds` }],
  });
  try {
    await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
    const store = run.sandboxes.salesforce.store;
    const accepted = run.contract.statusMapping.SAL.salesforceStatus;
    const changedAt = new Map<string, number>();
    const spreadMs = 3 * pollIntervalMs;
    await Promise.all(
      contactIds.map(async (contactId, i) => {
        await new Promise((resolve) => setTimeout(resolve, (spreadMs * i) / contactIds.length));
        const lead = store.list('Lead').find((l) => l.fields[SF.hubspotContactId] === contactId);
        if (!lead) return;
        // The owner changes the status, as a rep does in Salesforce.
        store.update('Lead', lead.id, { [SF.status]: accepted }, String(lead.fields[SF.ownerId]));
        changedAt.set(contactId, Date.now());
      }),
    );
    const acceptedAt = new Map<string, number>();
    await waitUntil(async () => {
      for (const contactId of contactIds) {
        if (acceptedAt.has(contactId)) continue;
        const state = await run.client.workflow.getHandle(run.workflowIdOf(contactId)).query(stateQuery);
        if (state.marks.acceptedAt) acceptedAt.set(contactId, Date.parse(state.marks.acceptedAt));
      }
      return acceptedAt.size === contactIds.length;
    }, pollIntervalMs * 4 + 30_000, 1000);
    const latencies = contactIds.flatMap((id) => {
      const from = changedAt.get(id);
      const to = acceptedAt.get(id);
      return from !== undefined && to !== undefined ? [to - from] : [];
    });
    return { latencies, undetected: contactIds.length - latencies.length, pollIntervalMs };
  } finally {
    await watcher.terminate('benchmark finished');
  }
}
