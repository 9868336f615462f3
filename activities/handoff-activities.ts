/**
 * The handoff's activities, in three groups that run on three task queues: HubSpot calls, Salesforce
 * calls (each queue with its own rate budget), and bridge-internal work. Each group is a thin layer
 * over a port; the logic of *what* to write lives in the workflow and the contract.
 */
import { Context } from '@temporalio/activity';
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import { ApplicationFailure, type Workflow } from '@temporalio/common';
import { SALESFORCE_LEAD_FIELDS as SF, SALESFORCE_TASK_FIELDS as TASK } from '../mappings/crm-fields';
import type { Contract } from '../mappings/schema';
import { contractProperties } from './contract-properties';
import type { AlertMessage, HubSpotContact, HubSpotPort, Notifier, SalesforcePort, SalesforceRecord, SalesforceValue } from './ports';
import { alertMessageFor } from './alert-message';
import { createConcurrencyLimit } from './concurrency-limit';
import type { AssignRepRequest, RepChoice } from '../workflows/routing-api';
import { routingQueueWorkflowId } from '../workflows/ids';
import { ASSIGN_REP_UPDATE, ROUTING_QUEUE_WORKFLOW } from '../workflows/routing-api';

const LEAD_READ_FIELDS = [SF.id, SF.status, SF.ownerId, SF.isConverted, SF.email, SF.hubspotContactId, SF.rejectionReason, SF.systemModstamp];
const TASK_READ_FIELDS = [TASK.id, TASK.type, TASK.subject, TASK.createdDate, TASK.ownerId];

export function createHubSpotActivities(hubspot: HubSpotPort, contract: () => Contract) {
  return {
    async readContact(input: { contactId: string }): Promise<HubSpotContact | null> {
      return hubspot.getContact({ contactId: input.contactId, properties: contractProperties(contract()) });
    },
    async stampContact(input: { contactId: string; properties: Record<string, string> }): Promise<void> {
      await hubspot.updateContact(input);
    },
    async moveLifecycle(input: { contactId: string; stage: string }): Promise<{ previous: string | null; current: string | null }> {
      return hubspot.setLifecycleStage(input);
    },
    async addToList(input: { listId: string; contactIds: string[] }): Promise<void> {
      await hubspot.addToList(input);
    },
  };
}

export interface ContactAttempt {
  id: string;
  channel: string;
  createdAt: string;
}

/** Salesforce Task.Type → the contract's channel names. */
const TASK_CHANNEL: Record<string, string> = { Call: 'call', Email: 'email', Meeting: 'meeting', LinkedIn: 'linkedin' };

export function createSalesforceActivities(salesforce: SalesforcePort) {
  return {
    async findLead(input: { hubspotContactId: string; salesforceLeadId?: string; email?: string }): Promise<SalesforceRecord | null> {
      return salesforce.findLead({ ...input, fields: LEAD_READ_FIELDS });
    },
    async upsertLead(input: { hubspotContactId: string; fields: Record<string, SalesforceValue> }): Promise<{ id: string; created: boolean }> {
      return salesforce.upsertLead(input);
    },
    async updateLead(input: { leadId: string; fields: Record<string, SalesforceValue> }): Promise<void> {
      await salesforce.updateLead(input);
    },
    async readLead(input: { leadId: string }): Promise<SalesforceRecord | null> {
      return salesforce.getLead({ leadId: input.leadId, fields: LEAD_READ_FIELDS });
    },
    async readTasks(input: { leadId: string; since: string }): Promise<ContactAttempt[]> {
      const tasks = await salesforce.tasksForLead({ ...input, fields: TASK_READ_FIELDS });
      return tasks.map((t) => ({
        id: t.id,
        channel: TASK_CHANNEL[String(t.fields[TASK.type] ?? '')] ?? 'other',
        createdAt: String(t.fields[TASK.createdDate]),
      }));
    },
  };
}

export interface BridgeDeps {
  contract: () => Contract;
  notifier: Notifier;
  /** Builds the signed accept/reject links for a rep and a handoff. */
  actionLinks: (input: { workflowId: string; repId: string; expiresAt: string }) => { acceptUrl: string; rejectUrl: string };
  client: Client;
}

/**
 * The server admits only a few in-flight updates per workflow (history.maxInFlightUpdates, 10 by
 * default) and refuses the rest with RESOURCE_EXHAUSTED. A burst of handoffs would all ask the one
 * routing queue at once, fail, back off for minutes and time out (measured: 300 leads never finished
 * assigning); asked at most this many at a time per worker, it serves ~80 assignments a second.
 */
const ROUTING_UPDATES_IN_FLIGHT = 8;

export function createBridgeActivities(deps: BridgeDeps) {
  const routingUpdates = createConcurrencyLimit(ROUTING_UPDATES_IN_FLIGHT);
  return {
    async loadPolicy(_input: Record<string, never>): Promise<Contract> {
      return deps.contract();
    },

    /** Asks the portal's durable routing queue for the next rep; the request id makes retries idempotent. */
    async assignRep(input: {
      portalId: string;
      requestId: string;
      contract: Contract;
      lead: Record<string, string | null>;
      exclude: string[];
      now: string;
    }): Promise<RepChoice> {
      const taskQueue = Context.current().info.taskQueue;
      const start = new WithStartWorkflowOperation(ROUTING_QUEUE_WORKFLOW, {
        workflowId: routingQueueWorkflowId(input.portalId),
        taskQueue,
        args: [{ portalId: input.portalId }],
        workflowIdConflictPolicy: 'USE_EXISTING',
      });
      return routingUpdates.run(() =>
        deps.client.workflow.executeUpdateWithStart<Workflow, RepChoice, [AssignRepRequest]>(ASSIGN_REP_UPDATE, {
          args: [{ contract: input.contract, lead: input.lead, exclude: input.exclude, now: input.now }],
          updateId: input.requestId,
          startWorkflowOperation: start,
        }),
      );
    },

    /** Alerts the rep on every channel the contract and the rep's profile name. */
    async sendAlert(input: {
      kind: AlertMessage['kind'];
      workflowId: string;
      repId: string;
      contactId: string;
      deadline: string;
      contact: Record<string, string | null>;
    }): Promise<{ deliveredAt: string; channels: string[] }> {
      const contract = deps.contract();
      const rep = contract.routing.reps.find((r) => r.id === input.repId);
      if (!rep) throw ApplicationFailure.nonRetryable(`rep ${input.repId} is not in the contract's routing`, 'RepNotInContract');
      const links = deps.actionLinks({ workflowId: input.workflowId, repId: rep.id, expiresAt: input.deadline });
      const message = alertMessageFor({ contract, kind: input.kind, repName: rep.name, contact: input.contact, deadline: input.deadline, ...links });
      const targets = alertTargets(contract, rep, input.kind);
      let deliveredAt = '';
      for (const target of targets) {
        const sent = await deps.notifier.send({ channel: target.channel, target: target.target, message });
        deliveredAt ||= sent.deliveredAt;
      }
      return { deliveredAt: deliveredAt || new Date().toISOString(), channels: targets.map((t) => t.channel) };
    },
  };
}

function alertTargets(contract: Contract, rep: Contract['routing']['reps'][number], kind: AlertMessage['kind']) {
  const targets: Array<{ channel: 'slack' | 'teams' | 'email'; target: string }> = [];
  for (const alert of contract.handoff.alerts) {
    if (!alert.kinds.includes(kind)) continue;
    const target = alert.target === 'rep' ? rep.channels[alert.channel] : alert.target;
    if (target) targets.push({ channel: alert.channel, target });
  }
  return targets;
}

export type HubSpotActivities = ReturnType<typeof createHubSpotActivities>;
export type SalesforceActivities = ReturnType<typeof createSalesforceActivities>;
export type BridgeActivities = ReturnType<typeof createBridgeActivities>;
