/**
 * CRM faults in both sandboxes, in phases while handoffs run start to close: 20% 5xx, then a 429
 * storm (Salesforce's REQUEST_LIMIT_EXCEEDED), then latency spikes on top of 5xx. With HubSpot's
 * 190 / 10 s enforced and the product's call budgets, every handoff must still close, the busiest
 * ten seconds at HubSpot must stay within 190 calls, and no lead may be created twice.
 */
import type { Client } from '@temporalio/client';
import { DEFAULT_BUDGETS } from '../bench/burst';
import { startBridgeRun } from '../bench/support/bridge-run';
import type { FaultSettings } from '../sandbox';
import { waitUntil } from '../bench/support/stats';
import { assignmentLosses, CLOSED_OUTCOME, handoffOutcomes, rejectAll, unexpected, type CloseBy } from './outcomes';

export interface CrmFaultOptions {
  client: Client;
  temporalAddress: string;
  bundlePath: string;
  scratchDir: string;
  leads: number;
  /** How long each fault phase lasts. */
  phaseMs: number;
  timeoutMs: number;
  closeBy: CloseBy;
}

export interface CrmFaultResult {
  leads: number;
  phases: string[];
  notClosed: { count: number; examples: string[] };
  duplicateSalesforceLeads: string[];
  duplicateListMemberships: number;
  busiestHubspot10s: number;
  hubspotAnswers: { ok: number; rateLimited: number; serverErrors: number };
  seconds: number;
}

const PHASES: Array<{ name: string; faults: Partial<FaultSettings> }> = [
  { name: '20% 5xx', faults: { serverErrorRate: 0.2 } },
  { name: '429 storm (60%)', faults: { serverErrorRate: 0, rateLimitRate: 0.6 } },
  { name: 'latency spikes 1.5 s + 20% 5xx', faults: { rateLimitRate: 0, latencyMs: 1500, serverErrorRate: 0.2 } },
];

export async function runCrmFaults(options: CrmFaultOptions): Promise<CrmFaultResult> {
  const run = await startBridgeRun({
    ...options,
    budgets: DEFAULT_BUDGETS,
    // Salesforce names no retry time for REQUEST_LIMIT_EXCEEDED; the adapter's 5 minutes would make
    // the run wait out each injected refusal, so this run retries them after 2 s.
    salesforceLimitRetryMs: 2_000,
    tweak: (contract) => {
      contract.handoff.acceptanceWindowBusinessMinutes = 1;
      contract.handoff.reminderBeforeBreachBusinessMinutes = 0;
      contract.handoff.reassignLimit = 0;
      contract.handoff.readBackAfterMinutes = 0.05;
    },
  });
  try {
    const contactIds = Array.from({ length: options.leads }, () => run.createMql());
    const started = Date.now();
    const workflowIds = contactIds.map((id) => run.workflowIdOf(id));
    // Rejections go in while the faults last: the revert's writes then meet them too.
    const closing = (async () => {
      await run.announceMqls(contactIds);
      if (options.closeBy !== 'rejection') return;
      await waitUntil(() => run.inbox.firstAlert.size >= options.leads, options.timeoutMs, 200);
      await rejectAll(run.client, workflowIds);
    })();
    for (const phase of PHASES) {
      run.sandboxes.faults.hubspot.set(phase.faults);
      run.sandboxes.faults.salesforce.set(phase.faults);
      await new Promise((resolve) => setTimeout(resolve, options.phaseMs));
    }
    run.sandboxes.faults.hubspot.reset();
    run.sandboxes.faults.salesforce.reset();
    await closing;
    const outcomes = await handoffOutcomes(run.client, workflowIds, Math.max(1, options.timeoutMs - (Date.now() - started)));
    const losses = assignmentLosses(run, contactIds);
    const members = [...run.sandboxes.hubspot.store.lists.values()].flatMap((list) => [...list.members]);
    const calls = run.recorder.calls;
    return {
      leads: options.leads,
      phases: PHASES.map((p) => p.name),
      notClosed: unexpected(outcomes.values(), CLOSED_OUTCOME[options.closeBy]),
      duplicateSalesforceLeads: losses.duplicated,
      duplicateListMemberships: members.length - new Set(members).size,
      busiestHubspot10s: run.recorder.busiestWindow(10_000),
      hubspotAnswers: {
        ok: calls.filter((c) => c.status < 300).length,
        rateLimited: calls.filter((c) => c.status === 429).length,
        serverErrors: calls.filter((c) => c.status >= 500).length,
      },
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    await run.stop();
  }
}
