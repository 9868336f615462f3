/**
 * Activities of the long-running loops: the Salesforce status watcher (poll, forward) and the MQL
 * sweep (find stranded MQLs, start their handoffs). They reach handoffs through the Temporal client,
 * by workflow id, exactly as the webhook ingress does.
 */
import { heartbeat } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { HUBSPOT_PROPERTIES as HS, SALESFORCE_LEAD_FIELDS as SF } from '../mappings/crm-fields';
import type { HandoffInput, LeadChange } from '../workflows/handoff-api';
import { HANDOFF_WORKFLOW, LEAD_CHANGED_SIGNAL } from '../workflows/handoff-api';
import { handoffWorkflowId } from '../workflows/ids';
import type { HubSpotPort, SalesforceCursor, SalesforcePort } from './ports';

const WATCHED_FIELDS = [SF.id, SF.status, SF.ownerId, SF.isConverted, SF.rejectionReason, SF.hubspotContactId, SF.systemModstamp];

export interface ForwardableLeadChange extends LeadChange {
  hubspotContactId: string | null;
}

export function createSalesforceWatchActivities(salesforce: SalesforcePort) {
  return {
    async pollLeadChanges(input: { cursor: SalesforceCursor; limit: number }): Promise<{
      changes: ForwardableLeadChange[];
      cursor: SalesforceCursor;
    }> {
      const page = await salesforce.leadsChangedSince({ cursor: input.cursor, fields: WATCHED_FIELDS, limit: input.limit });
      const changes = page.leads.map((lead) => ({
        leadId: lead.id,
        hubspotContactId: stringOrNull(lead.fields[SF.hubspotContactId]),
        status: stringOrNull(lead.fields[SF.status]) ?? undefined,
        ownerId: stringOrNull(lead.fields[SF.ownerId]) ?? undefined,
        isConverted: lead.fields[SF.isConverted] === true,
        rejectionReason: stringOrNull(lead.fields[SF.rejectionReason]) ?? undefined,
        modifiedAt: String(lead.fields[SF.systemModstamp]),
      }));
      return { changes, cursor: page.cursor };
    },
  };
}

/** Signal-or-start semantics for the bridge's own loops. */
export function createBridgeLoopActivities(deps: { client: Client; hubspot: HubSpotPort }) {
  const { client, hubspot } = deps;
  return {
    /** Signals each change to its open handoff; a lead with no open handoff is not the watcher's business. */
    async forwardLeadChanges(input: { portalId: string; changes: ForwardableLeadChange[] }): Promise<{ forwarded: number }> {
      let forwarded = 0;
      for (const { hubspotContactId, ...change } of input.changes) {
        if (!hubspotContactId) continue;
        try {
          await client.workflow.getHandle(handoffWorkflowId({ portalId: input.portalId, contactId: hubspotContactId })).signal(LEAD_CHANGED_SIGNAL, change);
          forwarded += 1;
        } catch (err) {
          if (!(err instanceof WorkflowNotFoundError)) throw err;
        }
      }
      return { forwarded };
    },

    /** MQLs never handed off (no assignment stamp) get their handoff started, one per lead. */
    async sweepStrandedMqls(input: { portalId: string; handoffTaskQueue: string; observedAt: string }): Promise<{ found: number; ensured: number }> {
      let after: string | undefined;
      let found = 0;
      let ensured = 0;
      do {
        const page = await hubspot.searchContacts({
          filterGroups: [
            {
              filters: [
                { propertyName: HS.lifecycleStage, operator: 'EQ', value: 'marketingqualifiedlead' },
                { propertyName: HS.handoffAssignedAt, operator: 'NOT_HAS_PROPERTY' },
              ],
            },
          ],
          properties: [HS.lifecycleStage],
          sorts: ['hs_object_id'],
          limit: 200,
          after,
        });
        found += page.results.length;
        for (const contact of page.results) {
          const args: [HandoffInput] = [
            { portalId: input.portalId, contactId: contact.id, trigger: { source: 'sweep', observedAt: input.observedAt } },
          ];
          await client.workflow.start(HANDOFF_WORKFLOW, {
            workflowId: handoffWorkflowId({ portalId: input.portalId, contactId: contact.id }),
            taskQueue: input.handoffTaskQueue,
            args,
            workflowIdConflictPolicy: 'USE_EXISTING',
          });
          ensured += 1;
        }
        heartbeat({ found, ensured });
        after = page.after;
      } while (after);
      return { found, ensured };
    },
  };
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

export type SalesforceWatchActivities = ReturnType<typeof createSalesforceWatchActivities>;
export type BridgeLoopActivities = ReturnType<typeof createBridgeLoopActivities>;
