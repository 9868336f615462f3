/**
 * The CRM call budgets of a process that shares them with every other replica: each budget is leased
 * from its keeper workflow (workflows/call-budget-keeper.ts) on the routing task queue, so the busiest
 * window at HubSpot (and Salesforce's pace) stays within the configured budget however many worker and
 * ingress processes run, with no division by hand (docs/operations.md, "CRM rate budgets").
 */
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import type { BudgetLimit, EpochGrant } from '../mappings/crm';
import { createSharedCallBudget, type BudgetObserver, type CrmSystem, type SharedCallBudget } from '../activities/crm';
import { CALL_BUDGET_WORKFLOW, LEASE_CALLS_UPDATE, type LeaseCallsAnswer, type LeaseCallsRequest } from '../api/call-budget';
import { callBudgetWorkflowId, routingTaskQueue } from '../api/ids';
import { PRIORITY_KEYS } from '../api/priority';
import type { callBudgetKeeper } from '../workflows/call-budget-keeper';

/**
 * How long an ingress-only process waits for a HubSpot call before its priority read gives up: a
 * webhook must not hang on a keeper no worker serves (the batch then starts as normal leads).
 */
export const INGRESS_BUDGET_WAIT_MS = 2_000;

export interface SharedBudgetsOptions {
  client: Client;
  /** The orchestration task queue; the keepers run on its routing queue, which every worker serves. */
  taskQueue: string;
  /** The portal (and the org bridged with it): one budget per CRM account. */
  portalId: string;
  hubspot: BudgetLimit;
  salesforce: BudgetLimit;
  onLeaseError?: (system: string, error: unknown) => void;
  /** Each budget's lease and wait timings (worker/metrics.ts crmBudgetObserver). */
  observe?: (system: CrmSystem) => BudgetObserver;
  /** See SharedCallBudgetOptions.maxWaitMs (the ingress sets it). */
  maxWaitMs?: number;
}

export interface SharedBudgets {
  hubspot: SharedCallBudget;
  salesforce: SharedCallBudget;
  stop(): Promise<void>;
}

/** Leases calls of one budget from its keeper, starting the keeper if it is not running. */
export function keeperLease(client: Client, options: { taskQueue: string; system: string; portalId: string; limit: BudgetLimit }) {
  // The window is part of the id: processes counting per another window keep another budget.
  const budget = `${options.system}-${options.limit.perMs}ms`;
  const workflowId = callBudgetWorkflowId(budget, options.portalId);
  return async (request: Omit<LeaseCallsRequest, 'limit'>, signal: AbortSignal): Promise<EpochGrant[]> => {
    const start = new WithStartWorkflowOperation<typeof callBudgetKeeper>(CALL_BUDGET_WORKFLOW, {
      workflowId,
      taskQueue: routingTaskQueue(options.taskQueue),
      args: [{ budget, limit: options.limit }],
      workflowIdConflictPolicy: 'USE_EXISTING',
      // Every CRM call waits on its grants: the keeper's tasks never wait behind a burst.
      priority: { priorityKey: PRIORITY_KEYS.hot, fairnessKey: options.portalId },
    });
    const answer = await client.withAbortSignal(signal, () =>
      client.workflow.executeUpdateWithStart<typeof callBudgetKeeper, LeaseCallsAnswer, [LeaseCallsRequest]>(LEASE_CALLS_UPDATE, {
        args: [{ ...request, limit: options.limit }],
        startWorkflowOperation: start,
      }),
    );
    return answer.grants;
  };
}

/**
 * The keeper grants whole calls: a fractional budget (SALESFORCE_CALLS_PER_SECOND=2.5) becomes the
 * same pace over a longer window (5 per 2 s).
 */
export function wholeCalls(limit: BudgetLimit): BudgetLimit {
  for (let factor = 1; factor <= 1_000; factor += 1) {
    const calls = limit.calls * factor;
    if (Math.abs(calls - Math.round(calls)) < 1e-9) return { calls: Math.round(calls), perMs: limit.perMs * factor };
  }
  return { calls: 1, perMs: Math.ceil(limit.perMs / limit.calls) };
}

export function createSharedBudgets(options: SharedBudgetsOptions): SharedBudgets {
  const shared = (system: 'hubspot' | 'salesforce', configured: BudgetLimit): SharedCallBudget => {
    const limit = wholeCalls(configured);
    return createSharedCallBudget({
      limit,
      lease: keeperLease(options.client, { taskQueue: options.taskQueue, system, portalId: options.portalId, limit }),
      onLeaseError: (error) => options.onLeaseError?.(system, error),
      ...(options.observe ? { observe: options.observe(system) } : {}),
      ...(options.maxWaitMs === undefined ? {} : { maxWaitMs: options.maxWaitMs }),
    });
  };
  const hubspot = shared('hubspot', options.hubspot);
  const salesforce = shared('salesforce', options.salesforce);
  return {
    hubspot,
    salesforce,
    async stop() {
      await Promise.all([hubspot.stop(), salesforce.stop()]);
    },
  };
}
