/**
 * The leadHandoff workflow's signals, updates and queries, typed, from the names and payloads in
 * api/handoff.ts. Clients (ingress, CLI, tests) use these definitions; activities use the names.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import {
  ACCEPT_UPDATE,
  CONTACT_CHANGED_SIGNAL,
  LEAD_CHANGED_SIGNAL,
  REBASE_CONTRACT_UPDATE,
  REJECT_UPDATE,
  RETRY_UPDATE,
  STATE_QUERY,
  type ContactChange,
  type DecisionInput,
  type HandoffState,
  type LeadChange,
  type RebaseContractInput,
  type RebaseContractResult,
  type RejectInput,
  type RetryInput,
} from '../../api/handoff';

export const acceptUpdate = defineUpdate<HandoffState, [DecisionInput]>(ACCEPT_UPDATE);
export const rejectUpdate = defineUpdate<HandoffState, [RejectInput]>(REJECT_UPDATE);
export const retryUpdate = defineUpdate<HandoffState, [RetryInput]>(RETRY_UPDATE);
export const rebaseContractUpdate = defineUpdate<RebaseContractResult, [RebaseContractInput]>(REBASE_CONTRACT_UPDATE);
export const contactChangedSignal = defineSignal<[ContactChange]>(CONTACT_CHANGED_SIGNAL);
export const leadChangedSignal = defineSignal<[LeadChange]>(LEAD_CHANGED_SIGNAL);
export const stateQuery = defineQuery<HandoffState>(STATE_QUERY);
