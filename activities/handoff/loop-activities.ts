/**
 * Activities of the long-running loops: the Salesforce status watcher (poll, forward) and the MQL
 * sweep (find stranded MQLs, start their handoffs). They reach handoffs through the Temporal client,
 * by workflow id, exactly as the webhook ingress does.
 */
import { heartbeat, log } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { HUBSPOT_PROPERTIES as HS, SALESFORCE_LEAD_FIELDS as SF, taskChannel } from '../../mappings/crm';
import { type HandoffInput, type LeadChange, HANDOFF_WORKFLOW, LEAD_CHANGED_SIGNAL } from '../../api/handoff';
import { handoffWorkflowId } from '../../api/ids';
import { createConcurrencyLimit } from '../crm';
import type { HubSpotPort, SalesforceCursor, SalesforcePort } from '../ports';
import { heartbeatingWhileLong } from './heartbeat-while';

/** Signals in flight at once when forwarding a page of changes. */
const FORWARD_CONCURRENCY = 16;
const WATCHED_FIELDS: string[] = [SF.id, SF.status, SF.ownerId, SF.isConverted, SF.rejectionReason, SF.hubspotContactId, SF.systemModstamp];

export interface ForwardableLeadChange extends LeadChange {
  hubspotContactId: string | null;
}

export { sqlSignalFields } from '../../mappings/contract';

/**
 * `signalFields` names the lead fields the contract's SQL definition reads: the watcher forwards their
 * values with every change so the handoff can evaluate the definition itself.
 */
export function createSalesforceWatchActivities(salesforce: SalesforcePort, signalFields: () => string[] = () => []) {
  let signalsUnavailable = false;
  return heartbeatingWhileLong({
    async pollLeadChanges(input: { cursor: SalesforceCursor; limit: number }): Promise<{
      changes: ForwardableLeadChange[];
      cursor: SalesforceCursor;
      more: boolean;
    }> {
      const extra = signalsUnavailable ? [] : signalFields().filter((f) => !WATCHED_FIELDS.includes(f));
      const read = (fields: string[]) => salesforce.leadsChangedSince({ cursor: input.cursor, fields, limit: input.limit });
      const page = await read([...WATCHED_FIELDS, ...extra]).catch(async (err: unknown) => {
        // An org without the SQL definition's fields (setup not run for them): watch the rest, and say so once.
        if (!extra.length || !(err instanceof Error) || !err.message.includes('INVALID_FIELD')) throw err;
        signalsUnavailable = true;
        extra.length = 0;
        log.warn('the SQL definition names Salesforce lead fields this org does not have: the handoff cannot see a lead become SQL', { fields: signalFields() });
        return read(WATCHED_FIELDS);
      });
      // Contact attempts: Tasks created since the feed's own position, forwarded to their lead's handoff.
      const feed = await salesforce.tasksCreatedSince({ since: input.cursor.tasksSince ?? input.cursor.since, limit: input.limit });
      const attempts: ForwardableLeadChange[] = feed.tasks.map((task) => ({
        leadId: task.leadId,
        hubspotContactId: task.hubspotContactId,
        modifiedAt: task.createdAt,
        attempt: { taskId: task.id, channel: taskChannel(task.type), createdAt: task.createdAt },
      }));
      const changes = page.leads.map((lead): ForwardableLeadChange => ({
        leadId: lead.id,
        hubspotContactId: stringOrNull(lead.fields[SF.hubspotContactId]),
        status: stringOrNull(lead.fields[SF.status]) ?? undefined,
        ownerId: stringOrNull(lead.fields[SF.ownerId]) ?? undefined,
        isConverted: lead.fields[SF.isConverted] === true,
        rejectionReason: stringOrNull(lead.fields[SF.rejectionReason]) ?? undefined,
        modifiedAt: String(lead.fields[SF.systemModstamp]),
        ...(extra.length ? { fields: Object.fromEntries(extra.map((f) => [f, lead.fields[f] === null || lead.fields[f] === undefined ? null : String(lead.fields[f])])) } : {}),
      }));
      return { changes: [...changes, ...attempts], cursor: { ...page.cursor, tasksSince: feed.since }, more: page.more };
    },
  });
}

/** Signal-or-start semantics for the bridge's own loops. */
export function createBridgeLoopActivities(deps: { client: Client; hubspot: HubSpotPort }) {
  const { client, hubspot } = deps;
  return {
    /**
     * Signals each change to its open handoff; a lead with no open handoff is not the watcher's
     * business. Handoffs are signalled side by side (a page is up to hundreds of changes and each
     * signal is a round trip), one lead's changes in their order.
     */
    async forwardLeadChanges(input: { portalId: string; changes: ForwardableLeadChange[] }): Promise<{ forwarded: number }> {
      const byContact = new Map<string, LeadChange[]>();
      for (const { hubspotContactId, ...change } of input.changes) {
        if (hubspotContactId) byContact.set(hubspotContactId, [...(byContact.get(hubspotContactId) ?? []), change]);
      }
      const signalInOrder = async ([contactId, changes]: [string, LeadChange[]]): Promise<number> => {
        const handle = client.workflow.getHandle(handoffWorkflowId({ portalId: input.portalId, contactId }));
        let signalled = 0;
        for (const change of changes) {
          try {
            await handle.signal(LEAD_CHANGED_SIGNAL, change);
            signalled += 1;
          } catch (err) {
            if (!(err instanceof WorkflowNotFoundError)) throw err;
          }
        }
        return signalled;
      };
      const limit = createConcurrencyLimit(FORWARD_CONCURRENCY);
      const counts = await Promise.all([...byContact].map((entry) => limit.run(() => signalInOrder(entry))));
      return { forwarded: counts.reduce((sum, n) => sum + n, 0) };
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
