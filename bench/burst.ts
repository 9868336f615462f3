/**
 * Burst: N MQLs announced at once through signed webhooks, with the sandboxes enforcing HubSpot's
 * 190 requests / 10 s and a Salesforce daily allocation. Measures the time until every lead has an
 * owner in Salesforce, the bound the rate budgets allow, CRM calls per handoff per system (counted
 * on the wire), 429s, and whether any reached a workflow as a failure.
 */
import type { Client } from '@temporalio/client';
import { SALESFORCE_LEAD_FIELDS as SF } from '../mappings/crm-fields';
import { hubspotTaskQueue, salesforceTaskQueue } from '../workflows/ids';
import { startBridgeRun } from './support/bridge-run';
import { activitiesUntil, scheduledActivities } from './support/history';
import { waitUntil } from './support/stats';

export interface BurstOptions {
  client: Client;
  temporalAddress: string;
  bundlePath: string;
  scratchDir: string;
  leads: number;
  timeoutMs: number;
  rates?: { hubspot: number; salesforce: number };
  maxCachedWorkflows?: number;
}

export interface BurstResult {
  leads: number;
  assigned: number;
  allAssignedMs: number | undefined;
  /** The least time the bridge's own activity budgets allow for the activities before assignment. */
  budgetBoundMs: number;
  hubspotCalls: number;
  /** HubSpot answers 429 (Salesforce refuses only once its allocation is spent: see salesforceAllocation). */
  hubspotRateLimited: number;
  busiestHubspot10s: number;
  /** Salesforce calls counted against the org's allocation (every REST call counts). */
  salesforceAllocation: { used: number; limit: number };
  failedHandoffs: number;
  workerRssBytes: number;
  workerPeakRssBytes: number;
}

/** The product's defaults (HUBSPOT_ACTIVITIES_PER_SECOND, SALESFORCE_ACTIVITIES_PER_SECOND). */
export const DEFAULT_RATES = { hubspot: 18, salesforce: 20 };

export async function runBurst(options: BurstOptions): Promise<BurstResult> {
  const rates = options.rates ?? DEFAULT_RATES;
  const run = await startBridgeRun({ ...options, rates });
  try {
    const contactIds = Array.from({ length: options.leads }, () => run.createMql());
    const leads = run.sandboxes.salesforce.store;
    const assignedCount = (): number => leads.list('Lead').filter((lead) => lead.fields[SF.assignedAt]).length;
    const started = Date.now();
    await run.announceMqls(contactIds);
    let allAssignedMs: number | undefined;
    await waitUntil(() => {
      if (assignedCount() < options.leads) return false;
      allAssignedMs = Date.now() - started;
      return true;
    }, options.timeoutMs, 250);
    // Let the writes after assignment (stamps, alerts) finish before counting calls per handoff.
    await waitUntil(() => run.inbox.firstAlert.size >= options.leads, 120_000, 250);
    const memory = await run.worker.memory();
    const workerRssBytes = memory.rssBytes;

    const sample = await scheduledActivities(run.client, run.workflowIdOf(contactIds[0] ?? ''));
    const beforeAssignment = activitiesUntil(sample, 'updateLead');
    const budgetBoundMs =
      1000 *
      Math.max(
        (options.leads * (beforeAssignment.get(hubspotTaskQueue(run.taskQueue)) ?? 0)) / rates.hubspot,
        (options.leads * (beforeAssignment.get(salesforceTaskQueue(run.taskQueue)) ?? 0)) / rates.salesforce,
      );
    const failed = await run.client.workflow.count(`WorkflowId STARTS_WITH "handoff:${run.portalId}:" AND ExecutionStatus != "Running" AND ExecutionStatus != "Completed"`);
    return {
      leads: options.leads,
      assigned: assignedCount(),
      allAssignedMs,
      budgetBoundMs,
      hubspotCalls: run.recorder.calls.length,
      hubspotRateLimited: run.recorder.rateLimited(),
      busiestHubspot10s: run.recorder.busiestWindow(10_000),
      salesforceAllocation: { used: run.sandboxes.salesforce.usage.used(), limit: run.sandboxes.salesforce.usage.limit },
      failedHandoffs: failed.count,
      workerRssBytes,
      workerPeakRssBytes: memory.peakRssBytes,
    };
  } finally {
    await run.stop();
  }
}
