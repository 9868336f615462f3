/**
 * Phase 4, close on a rejection or a miss: recyclable reasons and misses go back to nurture in both
 * systems, read back to verify the sync did not undo it; other reasons disqualify the lead.
 */
import { ApplicationFailure } from '@temporalio/workflow';
import type { DecisionInput, HandoffResult } from '../../api/handoff';
import { REJECTION_REASON } from '../../api/search-attributes';
import { HUBSPOT_PROPERTIES as HS, SALESFORCE_LEAD_FIELDS as SF } from '../../mappings/crm';
import { workflowNow } from '../clock';
import type { HandoffRun } from './run';

export async function reject(run: HandoffRun, reason: string, by: DecisionInput): Promise<HandoffResult> {
  const entry = run.loaded.taxonomy.get(reason);
  if (!entry) throw ApplicationFailure.nonRetryable(`rejection reason ${reason} is not in the taxonomy`, 'UnknownRejectionReason');
  run.state.rejectionReason = reason;
  run.setAttributes([{ key: REJECTION_REASON, value: reason }]);
  if (entry.recyclable) {
    run.advance('rejected_recyclable', `${reason} by ${by.actor} via ${by.via}`);
    await revertToNurture(run, 'rejected', reason);
    return run.finish('reverted_rejected');
  }
  run.advance('rejected_final', `${reason} by ${by.actor} via ${by.via}`);
  await run.writeStageStatus('Disqualified', {
    salesforce: { [SF.rejectionReason]: reason },
    hubspot: { [HS.handoffRejectionReason]: reason, [HS.handoffOutcome]: 'DISQUALIFIED', [HS.handoffOutcomeAt]: workflowNow().toISOString() },
  });
  run.decisionsApplied += 1;
  return run.finish('disqualified');
}

/**
 * Back to nurture in both systems; HubSpot's lifecycle only moves backwards when cleared first.
 * Then, after the connector's cycle, read both back and repair what the sync undid.
 */
export async function revertToNurture(run: HandoffRun, cause: 'missed' | 'rejected', reason?: string): Promise<void> {
  const { input, state, contract, hubspot, salesforce } = run;
  const entry = reason ? run.loaded.taxonomy.get(reason) : undefined;
  const revert = contract.handoff.revert;
  const listId = entry?.nurtureListId ?? revert.nurtureListId;
  const outcomeAt = workflowNow().toISOString();
  await Promise.all([
    run.writeLead({ [SF.status]: revert.salesforceStatus, [SF.rejectionReason]: reason ?? 'SLA_MISSED' }, 'the revert'),
    run.writeHubSpot(
      {
        [HS.leadStatus]: entry?.hubspotLeadStatus ?? revert.hubspotLeadStatus,
        [HS.handoffOutcome]: cause === 'missed' ? 'REVERTED_SLA_MISSED' : 'REVERTED_REJECTED',
        [HS.handoffOutcomeAt]: outcomeAt,
        ...(reason ? { [HS.handoffRejectionReason]: reason } : {}),
      },
      revert.hubspotLifecycle,
    ),
    listId ? hubspot.addToList({ listId, contactIds: [input.contactId] }) : undefined,
  ]);
  state.marks.outcomeAt = outcomeAt;
  if (cause === 'rejected') run.decisionsApplied += 1;

  for (let check = 1; check <= 2; check++) {
    await run.pause(`${contract.handoff.readBackAfterMinutes} minutes`);
    const [hsBack, sfBack] = await Promise.all([hubspot.readContact({ contactId: input.contactId, contractHash: run.hash }), salesforce.readLead({ leadId: run.leadId() })]);
    const hubspotOk = hsBack?.properties[HS.lifecycleStage] === revert.hubspotLifecycle;
    const salesforceOk = sfBack?.fields[SF.status] === revert.salesforceStatus;
    if (hubspotOk && salesforceOk) {
      run.note(check === 1 ? 'revert verified in both systems after the sync' : 'revert repaired and verified');
      if (check === 2) state.flags.push('revert_repaired');
      return;
    }
    run.note(`read-back ${check}: sync undid the revert (${[hubspotOk ? '' : 'HubSpot lifecycle', salesforceOk ? '' : 'Salesforce status'].filter(Boolean).join(', ')})`);
    if (check === 2) break;
    await Promise.all([
      hubspotOk ? undefined : run.writeHubSpot({}, revert.hubspotLifecycle),
      salesforceOk ? undefined : run.writeLead({ [SF.status]: revert.salesforceStatus }, 'the revert'),
    ]);
  }
  state.flags.push('revert_unverified');
}
