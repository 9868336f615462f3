/**
 * The call-budget keeper's surface, as plain names and types so that the processes leasing calls
 * (through the Temporal client) need nothing from the workflow runtime.
 */
import type { BudgetLimit, EpochGrant, KeeperState, LeaseRequest } from '../mappings/crm';

export const CALL_BUDGET_WORKFLOW = 'callBudgetKeeper';
/** One update grants a holder its calls for the epochs it asks for. */
export const LEASE_CALLS_UPDATE = 'leaseCalls';

export interface CallBudgetKeeperInput {
  /** Which budget, e.g. `hubspot:<portal>`; part of the workflow id. */
  budget: string;
  limit: BudgetLimit;
  /** Carried across continue-as-new. */
  state?: KeeperState;
}

export interface LeaseCallsRequest extends LeaseRequest {
  /** The limit the holder was configured with (the latest one asked with applies). */
  limit: BudgetLimit;
}

export interface LeaseCallsAnswer {
  grants: EpochGrant[];
}
