/**
 * The handoff's query, signals and updates, registered before the workflow's first await so nothing
 * that arrives early waits in a buffer. Until the contract is loaded no Salesforce lead is known and
 * the stage is New: a lead change is ignored and a decision refused, as it would be later for a lead
 * not awaiting acceptance.
 */
import { condition, setHandler } from '@temporalio/workflow';
import { CONTACT_CHANGED_SIGNAL, LEAD_CHANGED_SIGNAL, type DecisionInput, type RejectInput } from '../../api/handoff';
import { contactChangeProblem, leadChangeProblem } from '../../api/signal-payloads';
import { ignoredAsMalformed } from '../malformed-signal';
import { evaluateDefinition, statusFor } from '../../mappings/contract';
import { workflowNow } from '../clock';
import { ownershipProblem } from './decision-owner';
import { acceptUpdate, contactChangedSignal, leadChangedSignal, rejectUpdate, stateQuery } from './messages';
import { CLOCK_SKEW_TOLERANCE_MS, type HandoffRun } from './run';

export function registerHandlers(run: HandoffRun): void {
  const { state, input } = run;
  setHandler(stateQuery, () => state);
  // The change that started the handoff is its trigger (worker/handoff-starter.ts): a redelivery of
  // that webhook event, signalled later, is not a new change.
  if (input.trigger.eventId) run.seenContactEvents.add(input.trigger.eventId);
  setHandler(contactChangedSignal, (change) => {
    if (ignoredAsMalformed(CONTACT_CHANGED_SIGNAL, contactChangeProblem(change))) return;
    if (run.seenContactEvents.has(change.eventId)) return;
    run.seenContactEvents.add(change.eventId);
    run.contactChanges += 1;
  });
  setHandler(leadChangedSignal, (change) => {
    if (ignoredAsMalformed(LEAD_CHANGED_SIGNAL, leadChangeProblem(change))) return;
    if (change.leadId !== state.salesforceLeadId || !run.policy) return;
    const { contract, taxonomy, closedStatuses, attempts } = run.policy;
    if (change.attempt) return attempts.observe(change.attempt);
    if (change.isConverted) run.converted = true;
    // Only a change by the current owner, made after this assignment (allowing for clock skew between
    // Salesforce and the workers), decides: an earlier episode's status or reason never does.
    if (!state.marks.assignedAt || (change.ownerId && change.ownerId !== state.ownerId)) return;
    if (Date.parse(change.modifiedAt) < Date.parse(state.marks.assignedAt) - CLOCK_SKEW_TOLERANCE_MS) return;
    if (change.fields && evaluateDefinition(contract.definitions.sql, change.fields, workflowNow()).met) run.sqlSignalled = true;
    if (run.decision) return;
    const by: DecisionInput = { actor: change.ownerId ?? state.ownerId ?? 'salesforce', via: 'salesforce' };
    const reason = change.rejectionReason;
    const deciding = state.stage === 'AwaitingAcceptance' || state.stage === 'SAL';
    if (deciding && reason && taxonomy.has(reason) && change.status && closedStatuses.has(change.status)) {
      run.decision = { kind: 'reject', reason, by };
    } else if (state.stage === 'AwaitingAcceptance' && (change.isConverted || change.status === statusFor(contract, 'SAL').salesforceStatus)) {
      run.decision = { kind: 'accept', by };
    }
  });
  /** A decision made as a rep counts only while that rep owns the lead, in this assignment. */
  const refuseIfNotOwner = (by: DecisionInput): void => {
    const problem = ownershipProblem(state, by);
    if (problem) throw new Error(problem);
  };
  setHandler(
    acceptUpdate,
    async (by) => {
      const before = run.decisionsApplied;
      run.decision = { kind: 'accept', by };
      await condition(() => run.decisionsApplied > before);
      return state;
    },
    {
      validator: (by: DecisionInput) => {
        if (state.stage !== 'AwaitingAcceptance' || run.decision) {
          throw new Error(`lead ${input.contactId} is ${state.stage}, not awaiting acceptance`);
        }
        refuseIfNotOwner(by);
      },
    },
  );
  setHandler(
    rejectUpdate,
    async (req) => {
      const before = run.decisionsApplied;
      run.decision = { kind: 'reject', reason: req.reason, by: req };
      await condition(() => run.decisionsApplied > before);
      return state;
    },
    {
      validator: (req: RejectInput) => {
        const taxonomy = run.policy?.taxonomy;
        if (taxonomy && !taxonomy.has(req.reason)) {
          throw new Error(`unknown rejection reason "${req.reason}": use one of ${[...taxonomy.keys()].join(', ')}`);
        }
        if ((state.stage !== 'AwaitingAcceptance' && state.stage !== 'SAL') || run.decision) {
          throw new Error(`lead ${input.contactId} is ${state.stage}: only a lead awaiting acceptance or accepted can be rejected`);
        }
        refuseIfNotOwner(req);
      },
    },
  );
}
