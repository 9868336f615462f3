/**
 * What reconciliation reads after the two snapshots, always in batches: Temporal visibility (open and
 * stuck handoffs of the portal), HubSpot property histories of synced two-way fields (flip-flops),
 * and the Salesforce opportunities and tasks behind the funnel and the contact-attempt commitment.
 */
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { parseLedger, type OpenHandoff, type BlockedHandoff } from '../../mappings/metrics';
import { HUBSPOT_PROPERTIES as HS, SALESFORCE_LEAD_FIELDS as SF } from '../../mappings/crm';
import { parseInstant, type Contract } from '../../mappings/contract';
import { parseHandoffWorkflowId } from '../../api/ids';
import { HANDOFF_WORKFLOW } from '../../api/handoff';
import { BLOCKED_CODE, BLOCKED_STEP, SLA_DEADLINE } from '../../api/search-attributes';
import { FILES, readContacts, readLeads, type ExtrasFile, type HandoffsFile } from './reconcile-files';
import { HUBSPOT_HISTORY_BATCH, type ReconcileReadsPort, type ReportStore } from './reconcile-ports';

/** Contacts whose histories one part file holds: 200 batch reads of 50. */
const HISTORY_PART = 10_000;
const DAY_MS = 86_400_000;

/** The visibility query for handoffs awaiting acceptance past their deadline. */
export function stuckHandoffsQuery(nowIso: string): string {
  return `ExecutionStatus = "Running" AND LeadStage = "AwaitingAcceptance" AND SlaDeadline < "${new Date(nowIso).toISOString()}"`;
}

/** The portal's handoffs waiting Blocked for a fix (see worker/stuck-queries.ts for the operator's form). */
export function blockedHandoffsQuery(portalId: string): string {
  return `ExecutionStatus = "Running" AND LeadStage = "Blocked" AND WorkflowId STARTS_WITH "handoff:${portalId}:"`;
}

/** The portal's handoffs that ended Failed. */
export function failedHandoffsQuery(portalId: string): string {
  return `ExecutionStatus = "Failed" AND WorkflowType = "${HANDOFF_WORKFLOW}" AND WorkflowId STARTS_WITH "handoff:${portalId}:"`;
}

function handoffOf(portalId: string, workflowId: string, slaDeadline?: Date): OpenHandoff | undefined {
  const key = parseHandoffWorkflowId(workflowId);
  if (key?.portalId !== portalId) return undefined;
  return { workflowId, contactId: key.contactId, ...(slaDeadline ? { slaDeadline: slaDeadline.toISOString() } : {}) };
}

export interface ExtrasDeps {
  client: Client;
  reads: ReconcileReadsPort;
  store: ReportStore;
  contract: () => Contract;
}

export function createExtrasActivities(deps: ExtrasDeps) {
  return {
    /** Running handoffs of the portal, those stuck past their deadline, those blocked and those that failed. */
    async snapshotHandoffs(input: { runId: string; portalId: string; now: string }): Promise<{ open: number; stuck: number; blocked: number; failed: number }> {
      const open: OpenHandoff[] = [];
      for await (const wf of deps.client.workflow.list({ query: `ExecutionStatus = "Running" AND WorkflowId STARTS_WITH "handoff:${input.portalId}:"` })) {
        const handoff = handoffOf(input.portalId, wf.workflowId);
        if (handoff) open.push(handoff);
        if (open.length % 1000 === 0) Context.current().heartbeat({ open: open.length });
      }
      const stuck: OpenHandoff[] = [];
      for await (const wf of deps.client.workflow.list({ query: stuckHandoffsQuery(input.now) })) {
        const handoff = handoffOf(input.portalId, wf.workflowId, wf.typedSearchAttributes.get(SLA_DEADLINE));
        if (handoff) stuck.push(handoff);
      }
      const blocked: BlockedHandoff[] = [];
      for await (const wf of deps.client.workflow.list({ query: blockedHandoffsQuery(input.portalId) })) {
        const attributes = wf.typedSearchAttributes;
        blocked.push({ workflowId: wf.workflowId, step: attributes.get(BLOCKED_STEP) ?? 'unknown', code: attributes.get(BLOCKED_CODE) ?? 'unknown' });
      }
      const failed: string[] = [];
      for await (const wf of deps.client.workflow.list({ query: failedHandoffsQuery(input.portalId) })) failed.push(wf.workflowId);
      const file: HandoffsFile = { open, stuck, blocked, failed };
      await deps.store.write({ runId: input.runId, name: FILES.handoffs, content: JSON.stringify(file) });
      return { open: open.length, stuck: stuck.length, blocked: blocked.length, failed: failed.length };
    },

    /**
     * Histories of the two-way synced properties for contacts linked to a Salesforce lead and changed
     * within the flip-flop window: only those can flip-flop (a swing back is three versions inside the
     * window), and history costs a batch read per 50. The window's filter is the snapshot's
     * `lastmodifieddate` (search results): HubSpot's search has no per-property change time, so a
     * contact whose other properties changed in the window is read too; one untouched is never read.
     */
    async snapshotHistories(input: { runId: string; now: string; windowDays: number }): Promise<{ contacts: number; calls: number }> {
      const contract = deps.contract();
      const properties = contract.fieldMappings.filter((m) => m.rule === 'two_way').map((m) => m.hubspot);
      if (!properties.length) return { contacts: 0, calls: 0 };
      const since = Date.parse(input.now) - input.windowDays * DAY_MS;
      const contacts = await readContacts(deps.store, input.runId);
      const candidates = contacts
        .filter((c) => c.properties[HS.salesforceLeadId] && (parseInstant(c.properties.lastmodifieddate ?? '') ?? 0) >= since)
        .map((c) => c.id);
      const details: unknown = Context.current().info.heartbeatDetails;
      let part = typeof details === 'number' ? details : 1;
      let calls = 0;
      for (let offset = (part - 1) * HISTORY_PART; offset < candidates.length; offset += HISTORY_PART, part++) {
        const ids = candidates.slice(offset, offset + HISTORY_PART);
        const histories = [];
        // One request per call (HubSpot's history batch limit), so each passes the call budget and is counted.
        for (let i = 0; i < ids.length; i += HUBSPOT_HISTORY_BATCH) {
          histories.push(...(await deps.reads.contactHistories({ contactIds: ids.slice(i, i + HUBSPOT_HISTORY_BATCH), properties })));
          calls++;
          Context.current().heartbeat(part);
        }
        await deps.store.write({ runId: input.runId, name: FILES.historyPart(part), content: histories.map((h) => JSON.stringify(h)).join('\n') + '\n' });
        Context.current().heartbeat(part + 1);
      }
      return { contacts: candidates.length, calls };
    },

    /** Opportunity stages of converted leads, and tasks on leads accepted within the window. */
    async snapshotSalesforceExtras(input: { runId: string; since: string }): Promise<{ opportunities: number; tasks: number; calls: number }> {
      const leads = await readLeads(deps.store, input.runId);
      const contacts = await readContacts(deps.store, input.runId);
      const opportunityIds = leads.flatMap((l) => (typeof l.fields[SF.convertedOpportunityId] === 'string' ? [String(l.fields[SF.convertedOpportunityId])] : []));
      const since = Date.parse(input.since);
      // Tasks on every lead handed over in the window (any episode): speed-to-lead counts rejected leads too.
      const acceptedLeadIds = contacts.flatMap((c) => {
        const assigned = [c.properties[HS.handoffAssignedAt], ...parseLedger(c.properties[HS.handoffEpisodes]).map((e) => e.assignedAt)];
        const leadId = c.properties[HS.salesforceLeadId];
        return leadId && assigned.some((a) => (parseInstant(a ?? '') ?? -Infinity) >= since) ? [leadId] : [];
      });
      const calls = Math.ceil(opportunityIds.length / 200) + Math.ceil(acceptedLeadIds.length / 200);
      const opportunityStages = opportunityIds.length ? await deps.reads.opportunityStages({ opportunityIds }) : {};
      Context.current().heartbeat('opportunities');
      const tasks = acceptedLeadIds.length ? await deps.reads.leadTasks({ leadIds: acceptedLeadIds, since: input.since }) : [];
      const file: ExtrasFile = { opportunityStages, tasks, tasksRead: true };
      await deps.store.write({ runId: input.runId, name: FILES.extras, content: JSON.stringify(file) });
      return { opportunities: Object.keys(opportunityStages).length, tasks: tasks.length, calls };
    },
  };
}
