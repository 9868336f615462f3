/**
 * callBudgetKeeper: the one holder of a CRM call budget (one per portal or org) that every worker
 * and ingress process leases calls from (mappings/budget-epochs.ts says how). It runs on the routing
 * task queue, which every worker process serves, so it lives as long as any worker does and never
 * waits behind a burst's handoffs. Leases are updates, processed one at a time.
 */
import { defineUpdate, setHandler, workflowInfo } from '@temporalio/workflow';
import { grantCalls, initialKeeperState } from '../mappings/crm';
import { rollOver, rollOverPoint } from './entity-rollover';
import { LEASE_CALLS_UPDATE, type CallBudgetKeeperInput, type LeaseCallsAnswer, type LeaseCallsRequest } from '../api/call-budget';

export const leaseCallsUpdate = defineUpdate<LeaseCallsAnswer, [LeaseCallsRequest]>(LEASE_CALLS_UPDATE);

/** A lease update adds ≈ 1–2 KB of history; the run rolls over well before the server's warnings. */
export const KEEPER_HISTORY_BYTES = 512 * 1024;

export async function callBudgetKeeper(input: CallBudgetKeeperInput): Promise<never> {
  let state = input.state ?? initialKeeperState(input.limit);
  setHandler(
    leaseCallsUpdate,
    (request) => {
      // A deploy that changes the number of calls takes effect as its processes lease; the window is
      // part of the keeper's id (a changed window is another keeper).
      const answer = grantCalls({ ...state, limit: request.limit }, request);
      state = answer.state;
      return { grants: answer.grants };
    },
    {
      validator: (request: LeaseCallsRequest) => {
        if (request.limit.perMs !== state.limit.perMs) {
          throw new Error(`call budget ${input.budget} counts calls per ${state.limit.perMs} ms; this process counts per ${request.limit.perMs} ms`);
        }
      },
    },
  );
  await rollOverPoint(() => workflowInfo().continueAsNewSuggested || workflowInfo().historySize >= KEEPER_HISTORY_BYTES);
  return rollOver<typeof callBudgetKeeper>()({ budget: input.budget, limit: state.limit, state });
}
