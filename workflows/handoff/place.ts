/**
 * Phase 2, place: the Salesforce lead, sync-aware, and its owner. With a grace period the handoff
 * reuses the lead the connector creates (waiting for it up to the grace); assignment itself reuses
 * any lead it finds and otherwise upserts by the HubSpot-id external field (never a duplicate).
 */
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { AssignLeadResult, SalesforceActivities } from '../../activities/handoff';
import { handoffPriority } from '../../api/priority';
import type { ChosenRep } from '../../api/routing';
import { addBusinessMinutes } from '../../mappings/calendar';
import { statusFor, syncDirections, type HandoffContract } from '../../mappings/contract';
import { HUBSPOT_PROPERTIES as HS, SALESFORCE_LEAD_FIELDS as SF, fitLeadFieldLengths, type FittedFields } from '../../mappings/crm';
import { routingInputsOf } from '../../mappings/routing';
import { salesforceTaskQueue } from '../../api/ids';
import { crmCall, hotLaneAssignCall } from '../activity-profiles';
import { workflowNow } from '../clock';
import { continueLongWait } from './continue-wait';
import type { HandoffRun } from './run';

/** Waits up to the contract's grace period for the connector's lead, re-reading the contact as it syncs. */
export async function awaitConnectorLead(run: HandoffRun): Promise<void> {
  const { input, contract } = run;
  const props = () => run.props();
  const lookup = () =>
    run.salesforce.findLead({
      hubspotContactId: input.contactId,
      salesforceLeadId: props()[HS.salesforceLeadId] ?? undefined,
      email: props()[HS.email] ?? undefined,
    });
  let lead = await lookup();
  if (!lead) {
    const graceEnds = workflowNow().getTime() + contract.handoff.syncGraceMinutes * 60_000;
    run.note(`waiting up to ${contract.handoff.syncGraceMinutes} min for the connector to create the Salesforce lead`);
    while (!lead && workflowNow().getTime() < graceEnds) {
      await run.pause(Math.min(60_000, graceEnds - workflowNow().getTime()));
      run.contact = (await run.hubspot.readContact({ contactId: input.contactId, contractHash: run.hash })) ?? run.contact;
      lead = await lookup();
    }
  }
  if (lead) leadKnown(run, lead.id, 'found');
}

/**
 * Routes and assigns in one Salesforce activity (see assignLead); while no rep is available it waits
 * for the pool's next working time or a reserved slot (routing-hold.ts), never polls. Each try asks the routing queue under its own request id: a retried activity gets the
 * same answer, a new try a fresh one.
 */
export async function assignWhenAvailable(run: HandoffRun, exclude: string[]): Promise<{ rep: ChosenRep; assignedAt: Date; deadline: Date }> {
  const { input, state } = run;
  const props = () => run.props();
  // A run continued as new mid-wait goes on at the next try: an answered request id is never reused.
  const first = run.resumedRoutingAttempt ?? 1;
  run.resumedRoutingAttempt = undefined;
  for (let attempt = first; ; attempt++) {
    // Assignment can retry for hours when Salesforce or routing is down: the lead shows its stage meanwhile.
    run.publishBeforeAssignment();
    // A refused assignment waits Blocked; its retry asks routing afresh, on the handoff's contract
    // version then (`lead rebase-contract` moves it to a corrected one), and starts the clock then.
    const { placed, assignedAt, deadline, newLead } = await run.blocking.run('assignLead', async (retry) => {
      const contract = run.contract;
      const assignedAt = workflowNow();
      const deadline = addBusinessMinutes(assignedAt, contract.handoff.acceptanceWindowBusinessMinutes, contract.calendar);
      const newLead = leadFieldsFrom(contract, props());
      const routing = routingInputsOf(contract, props(), assignedAt);
      // On the hot lane, in the handoff's own workflow task (activity-profiles.ts hotLaneAssignCall).
      const { assignLead } = run.localCrm
        ? proxyLocalActivities<SalesforceActivities>(hotLaneAssignCall)
        : proxyActivities<SalesforceActivities>({
            ...crmCall,
            taskQueue: salesforceTaskQueue(run.orchestrationQueue),
            priority: handoffPriority(input.portalId, routing.hot),
          });
      const placed = await assignLead({
        portalId: input.portalId,
        requestId: `${run.workflowId}:${state.reassignments}:${attempt}${retry > 0 ? `:retry${retry}` : ''}`,
        contractHash: run.hash,
        routing,
        exclude,
        now: assignedAt.toISOString(),
        handoffId: run.workflowId,
        deadline: deadline.toISOString(),
        hubspotContactId: input.contactId,
        salesforceLeadId: state.salesforceLeadId ?? props()[HS.salesforceLeadId] ?? undefined,
        email: props()[HS.email] ?? undefined,
        newLeadFields: newLead.fields,
        assignment: {
          // A lead the native connector created lacks the HubSpot-id field, and the Salesforce watcher
          // forwards a rep's status change only for leads that name their contact.
          [SF.hubspotContactId]: input.contactId,
          [SF.status]: statusFor(contract, 'AwaitingAcceptance').salesforceStatus,
          [SF.assignedAt]: assignedAt.toISOString(),
          [SF.slaDeadline]: deadline.toISOString(),
          [SF.mqlAt]: state.marks.mqlAt ?? null,
          [SF.rejectionReason]: null,
        },
      });
      return { placed, assignedAt, deadline, newLead };
    });
    leadKnown(run, placed.leadId, placed.origin);
    if (placed.origin === 'created') for (const line of newLead.notes) run.note(line);
    if (placed.choice.rep) {
      run.routingHold.assigned(placed.choice);
      return { rep: placed.choice.rep, assignedAt, deadline };
    }
    await run.routingHold.waitForRep(placed.choice);
    await continueLongWait(run, attempt + 1);
  }
}

function leadKnown(run: HandoffRun, id: string, origin: AssignLeadResult['origin']): void {
  const { state } = run;
  if (state.salesforceLeadId === id) return;
  state.salesforceLeadId = id;
  state.marks.salesforceLeadReadyAt ??= workflowNow().toISOString();
  run.note(origin === 'found' ? `reusing Salesforce lead ${id}` : `${origin === 'created' ? 'created' : 'found'} Salesforce lead ${id} by HubSpot id`);
}

/**
 * The fields a new Salesforce lead gets from the contact: every field the contract's mappings let flow
 * to Salesforce (picklists through their value maps), as the connector itself would have written them.
 * Salesforce requires LastName and Company; the connector fills blanks with "[not provided]".
 */
function leadFieldsFrom(contract: Pick<HandoffContract, 'fieldMappings'>, props: Record<string, string | null>): FittedFields {
  const fields: Record<string, string | null> = {};
  for (const mapping of contract.fieldMappings) {
    // Ownership is the bridge's job (routing), and HubSpot owner ids are not Salesforce user ids.
    if (mapping.salesforce === SF.ownerId) continue;
    const value = props[mapping.hubspot];
    if (!syncDirections(mapping.rule).toSalesforce || value === null || value === undefined || value === '') continue;
    const mapped = mapping.valueMap ? mapping.valueMap[value] : value;
    if (mapped !== undefined) fields[mapping.salesforce] = mapped;
  }
  fields[SF.lastName] ??= props[HS.lastName] || '[not provided]';
  fields[SF.company] ??= props[HS.company] || '[not provided]';
  fields[SF.email] ??= props[HS.email] ?? null;
  // Salesforce refuses text longer than the field: cut to fit (the timeline says which and why).
  return fitLeadFieldLengths(fields);
}
