/**
 * Where the simulated leads stand, read the way RevOps would read it: from Temporal visibility (the
 * search attributes the handoff workflows keep), one list call for the whole portal. From it, which
 * planned outcome each lead has reached so far.
 */
import type { Client, WorkflowExecutionStatusName } from '@temporalio/client';
import { handoffWorkflowId, parseHandoffWorkflowId } from '../../api/ids';
import { BREACHED, LEAD_STAGE, REASSIGN_COUNT, REJECTION_REASON } from '../../api/search-attributes';
import type { OutcomeClass, PlannedLead } from './lead-plan';

export interface HandoffView {
  contactId: string;
  stage: string;
  status: WorkflowExecutionStatusName;
  breached: boolean;
  reassignments: number;
  rejectionReason?: string;
}

export interface PipelineSnapshot {
  handoffs: HandoffView[];
  byStage: Record<string, number>;
}

/** `handoff:<portal>:`, from the id scheme itself. */
function portalPrefix(portalId: string): string {
  return handoffWorkflowId({ portalId, contactId: 'x' }).slice(0, -1);
}

export async function readPipeline(client: Client, portalId: string): Promise<PipelineSnapshot> {
  const handoffs: HandoffView[] = [];
  // A handoff that continued as new during a long routing wait has a closed run per roll-over: only
  // the latest run of each workflow id stands for the lead.
  const query = `WorkflowId STARTS_WITH "${portalPrefix(portalId)}" AND ExecutionStatus != "ContinuedAsNew"`;
  for await (const execution of client.workflow.list({ query })) {
    const key = parseHandoffWorkflowId(execution.workflowId);
    if (!key) continue;
    const attributes = execution.typedSearchAttributes;
    const reason = attributes.get(REJECTION_REASON);
    handoffs.push({
      contactId: key.contactId,
      stage: attributes.get(LEAD_STAGE) ?? 'starting',
      status: execution.status.name,
      breached: attributes.get(BREACHED) ?? false,
      reassignments: attributes.get(REASSIGN_COUNT) ?? 0,
      ...(reason ? { rejectionReason: reason } : {}),
    });
  }
  const byStage: Record<string, number> = {};
  for (const h of handoffs) byStage[h.stage] = (byStage[h.stage] ?? 0) + 1;
  return { handoffs, byStage };
}

/** Whether a handoff shows the outcome its lead was planned for (a revert counts once verified: closed). */
export function hasReached(outcome: OutcomeClass, h: HandoffView): boolean {
  const closed = h.status === 'COMPLETED';
  switch (outcome) {
    case 'ignored_reverted':
      return h.stage === 'Nurture' && h.breached && !h.rejectionReason && closed;
    case 'reassigned_then_accepted':
      return h.stage === 'SAL' && h.reassignments >= 1;
    case 'accepted_in_salesforce':
    case 'accepted_by_link':
      return h.stage === 'SAL' && !h.breached;
    case 'rejected_to_nurture':
      return h.stage === 'Nurture' && Boolean(h.rejectionReason) && closed;
    case 'rejected_disqualified':
      return h.stage === 'Disqualified' && Boolean(h.rejectionReason);
    case 'returned_incomplete':
      return h.stage === 'ReturnedToMarketing';
  }
}

export interface OutcomeTally {
  planned: number;
  reached: number;
}

export function tallyOutcomes(plan: PlannedLead[], contactIds: string[], snapshot: PipelineSnapshot): Partial<Record<OutcomeClass, OutcomeTally>> {
  const byContact = new Map(snapshot.handoffs.map((h) => [h.contactId, h]));
  const tally: Partial<Record<OutcomeClass, OutcomeTally>> = {};
  plan.forEach((lead, i) => {
    const entry = (tally[lead.outcome] ??= { planned: 0, reached: 0 });
    entry.planned += 1;
    const handoff = byContact.get(contactIds[i] ?? '');
    if (handoff && hasReached(lead.outcome, handoff)) entry.reached += 1;
  });
  return tally;
}

export function allReached(tally: Partial<Record<OutcomeClass, OutcomeTally>>): boolean {
  return Object.values(tally).every((t) => t.reached === t.planned);
}
