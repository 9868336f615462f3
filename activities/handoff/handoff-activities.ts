/**
 * The handoff's activities, in three groups: HubSpot calls and Salesforce calls (each on its own task
 * queue, behind its CRM's budget), and bridge-internal work (local activities of the handoff). Each
 * group is a thin layer over a port; the logic of *what* to write lives in the workflow and the contract.
 */
import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { ApplicationFailure, type Workflow } from '@temporalio/common';
import { SALESFORCE_LEAD_FIELDS as SF, SALESFORCE_TASK_FIELDS as TASK, taskChannel } from '../../mappings/crm';
import type { Contract } from '../../mappings/contract';
import { contractProperties } from '../crm';
import type { HubSpotContact, HubSpotPort, Notifier, SalesforcePort, SalesforceRecord, SalesforceValue, RepAlertMessage } from '../ports';
import { sendBlockedAlert, type BlockedAlertInput, alertMessageFor } from '../notify';
import { PRIORITY_KEYS } from '../../api/priority';
import { DEFAULT_HISTORY_BUDGET, rotationPolicyOf, type RoutingInputs } from '../../mappings/routing';
import { handoffContractOf, type PinnedContract } from '../../mappings/contract';
import type { ContractVersions } from '../contract';
import { type AssignRepsRequest, type ReleaseSlot, type RepChoice, ASSIGN_REPS_UPDATE, RELEASE_SLOT_SIGNAL, ROUTING_QUEUE_WORKFLOW } from '../../api/routing';
import { routingQueueWorkflowId, routingTaskQueue } from '../../api/ids';
import { heartbeatingWhileLong } from './heartbeat-while';
import { createRoutingBatcher, sendUntilTaken, type PoolSync } from '../routing';

const LEAD_READ_FIELDS = [SF.id, SF.status, SF.ownerId, SF.isConverted, SF.email, SF.hubspotContactId, SF.rejectionReason, SF.systemModstamp];
const TASK_READ_FIELDS = [TASK.id, TASK.type, TASK.subject, TASK.createdDate, TASK.ownerId];

export function createHubSpotActivities(hubspot: HubSpotPort, versions: ContractVersions) {
  return heartbeatingWhileLong({
    /** Reads the properties the handoff's contract version names. */
    async readContact(input: { contactId: string; contractHash: string }): Promise<HubSpotContact | null> {
      return hubspot.getContact({ contactId: input.contactId, properties: contractProperties(await versions.byHash(input.contractHash)) });
    },
    /**
     * One transition's HubSpot writes: the lifecycle stage first when it moves (the port clears it
     * first when it moves backwards), then the stamps and lead status. Both are idempotent, so a retry
     * after a partial write converges.
     */
    async writeContact(input: { contactId: string; lifecycle?: string; properties: Record<string, string> }): Promise<void> {
      if (input.lifecycle !== undefined) await hubspot.setLifecycleStage({ contactId: input.contactId, stage: input.lifecycle });
      if (Object.keys(input.properties).length > 0) await hubspot.updateContact({ contactId: input.contactId, properties: input.properties });
    },
    async addToList(input: { listId: string; contactIds: string[] }): Promise<void> {
      await hubspot.addToList(input);
    },
  });
}

export interface ContactAttempt {
  id: string;
  channel: string;
  createdAt: string;
}

/** What `assignLead` needs: the routing question, and the Salesforce lead to give the chosen rep. */
export interface AssignLeadInput {
  portalId: string;
  /** Makes the routing question idempotent across retries of this activity. */
  requestId: string;
  /** The handoff's contract version: routing uses its rotation policy (reps trimmed, see rotation-policy.ts). */
  contractHash: string;
  /** What routing reads of the lead (its territory property), and whether it is a priority lead. */
  routing: RoutingInputs;
  /** Reps who already missed this lead. */
  exclude: string[];
  now: string;
  /** The handoff's workflow id and this assignment's deadline: the queue's capacity book keys on them. */
  handoffId?: string;
  deadline?: string;
  hubspotContactId: string;
  /** The lead this handoff already has, or the one HubSpot names; else found by HubSpot id, then email. */
  salesforceLeadId?: string;
  email?: string;
  /** The fields a lead created here gets (a found lead keeps its own). */
  newLeadFields: Record<string, SalesforceValue>;
  /** Written in the same update that makes the chosen rep owner. */
  assignment: Record<string, SalesforceValue>;
}

export interface AssignLeadResult {
  leadId: string;
  /** An existing lead (the connector's, or this handoff's), one created by HubSpot id, or one the upsert matched. */
  origin: 'found' | 'created' | 'upserted';
  choice: RepChoice;
}

/**
 * Batches of normal questions a worker keeps out per portal; the questions asked meanwhile leave
 * together as the next batch. One: a hot update that reaches the routing queue while a normal batch's
 * workflow task runs is answered in the task after it, and with two normal batches out that next task
 * also carried the second one (200 questions, ≈ 0.35 s on the routing thread at 10,000 leads): hot
 * round trips of 0.97–1.05 s with two, 0.44–0.84 s with one (docs/benchmarks.md). The burst stayed
 * within its target (1.25–1.54× the floor with one, 1.40–1.44× with two): a batch takes what was
 * asked during the one before.
 */
const ROUTING_BATCHES_IN_FLIGHT = 1;
/**
 * Batches of hot questions only a worker may have out beyond those: with one, the hot questions of a
 * webinar's demo requests left one batch after another behind it (20 hot leads in a 3,000-lead burst:
 * routing 1.1–2.0 s each, alerted p99 3.4 s); with two, 0.6–0.9 s and 2.0 s (docs/benchmarks.md). The
 * server admits only a few in-flight updates per workflow (history.maxInFlightUpdates, 10 by default)
 * and refuses the rest with RESOURCE_EXHAUSTED: per portal a worker has at most 3 updates out, so
 * three worker replicas stay within it.
 */
const ROUTING_HOT_BATCHES_IN_FLIGHT = 2;
/**
 * Hot questions gather until none has come for this long, for at most ROUTING_HOT_GATHER_MAX_MS after
 * the first: the twenty demo requests of a webinar reach the batcher over 0.1–0.3 s (the hot lane's
 * thread runs their steps one at a time), and leaving one by one the first few took both hot updates
 * and the rest waited a whole round trip (≈ 0.55 s at 10,000 leads) for one of them to return. A lone
 * priority lead waits 25 ms.
 */
const ROUTING_HOT_GATHER_MS = 25;
const ROUTING_HOT_GATHER_MAX_MS = 250;
/** Leads per routing update: one routing workflow task answers them all, well under a second. */
const ROUTING_BATCH_SIZE = 200;

export interface SalesforceActivityDeps {
  client: Client;
  /** The orchestration task queue; the routing queue workflow runs on its routing queue (routingTaskQueue). */
  orchestrationQueue: string;
  versions: ContractVersions;
  /** The contract's CRM pool (routing.pool): only the reps it lets take new leads are offered to routing. */
  pool?: Pick<PoolSync, 'apply'>;
}

export function createSalesforceActivities(salesforce: SalesforcePort, deps: SalesforceActivityDeps) {
  /**
   * One update per batch; the queue answers each request id once, so a retried request gets its answer
   * again, and a batch its run refused as full (routing-budget.ts) is sent again to the next run.
   */
  const routing = createRoutingBatcher({
    maxBatchSize: ROUTING_BATCH_SIZE,
    maxInFlight: ROUTING_BATCHES_IN_FLIGHT,
    maxHotInFlight: ROUTING_HOT_BATCHES_IN_FLIGHT,
    hotGatherMs: ROUTING_HOT_GATHER_MS,
    hotGatherMaxMs: ROUTING_HOT_GATHER_MAX_MS,
    maxUpdateBytes: DEFAULT_HISTORY_BUDGET.updateBytes,
    send: (portalId, policy, requests) => sendUntilTaken(() => {
      const start = new WithStartWorkflowOperation(ROUTING_QUEUE_WORKFLOW, {
        workflowId: routingQueueWorkflowId(portalId),
        taskQueue: routingTaskQueue(deps.orchestrationQueue),
        args: [{ portalId }],
        workflowIdConflictPolicy: 'USE_EXISTING',
        // The queue answers hot leads too: its tasks never wait behind a burst's handoffs.
        priority: { priorityKey: PRIORITY_KEYS.hot, fairnessKey: portalId },
      });
      return deps.client.workflow.executeUpdateWithStart<Workflow, RepChoice[], [AssignRepsRequest]>(ASSIGN_REPS_UPDATE, {
        args: [{ policy, requests }],
        updateId: `${requests[0]?.requestId ?? 'batch'}+${randomUUID()}`,
        startWorkflowOperation: start,
      });
    }),
  });
  const chooseRep = async (input: AssignLeadInput): Promise<RepChoice> => {
    const pinned = rotationPolicyOf(await deps.versions.byHash(input.contractHash));
    const policy = deps.pool ? await deps.pool.apply(pinned) : pinned;
    return routing.ask(input.portalId, policy, {
      requestId: input.requestId,
      lead: input.routing.lead,
      hot: input.routing.hot,
      exclude: input.exclude,
      now: input.now,
      ...(input.handoffId ? { handoffId: input.handoffId } : {}),
      ...(input.deadline ? { deadline: input.deadline } : {}),
    });
  };

  return heartbeatingWhileLong({
    async findLead(input: { hubspotContactId: string; salesforceLeadId?: string; email?: string }): Promise<SalesforceRecord | null> {
      return salesforce.findLead({ ...input, fields: LEAD_READ_FIELDS });
    },

    /**
     * Route and assign in one step: the lead is reused (stored id, HubSpot-id external field, then
     * email) or upserted by the HubSpot id (which can never create a duplicate) while the routing queue
     * names the rep, and one update makes them owner with the SLA stamps. Every part is idempotent, so
     * a retry after a partial run converges on the same lead and the same rep. With no rep available
     * the lead still exists and keeps its owner.
     */
    async assignLead(input: AssignLeadInput): Promise<AssignLeadResult> {
      return assignLeadOnce(input);
    },

    async updateLead(input: { leadId: string; fields: Record<string, SalesforceValue> }): Promise<void> {
      await salesforce.updateLead(input);
    },
    /** The stage of the opportunity the lead converted into: Won is Salesforce's answer. */
    async readOpportunityStage(input: { leadId: string }): Promise<string | null> {
      const lead = await salesforce.getLead({ leadId: input.leadId, fields: [SF.convertedOpportunityId] });
      const opportunityId = lead?.fields[SF.convertedOpportunityId];
      return typeof opportunityId === 'string' && opportunityId ? salesforce.getOpportunityStage({ opportunityId }) : null;
    },
    async readLead(input: { leadId: string }): Promise<SalesforceRecord | null> {
      return salesforce.getLead({ leadId: input.leadId, fields: LEAD_READ_FIELDS });
    },
  });

  /** The handoff's Salesforce lead: the one found (stored id, HubSpot-id external field, then email), else upserted by the HubSpot id. */
  async function placeLead(input: AssignLeadInput): Promise<{ id: string; origin: AssignLeadResult['origin'] }> {
    const { hubspotContactId, salesforceLeadId, email } = input;
    const found = await salesforce.findLead({ hubspotContactId, salesforceLeadId, email, fields: [] });
    if (found) return { id: found.id, origin: 'found' };
    const upserted = await salesforce.upsertLead({ hubspotContactId, fields: input.newLeadFields });
    return { id: upserted.id, origin: upserted.created ? 'created' : 'upserted' };
  }

  async function assignLeadOnce(input: AssignLeadInput): Promise<AssignLeadResult> {
    // The routing question leaves while the lead is found or created: neither needs the other, and one
    // after the other a priority lead's find and create (≈ 0.3 s under a burst) came before its routing
    // round trip. A lead Salesforce refuses to place has then taken its turn, as one whose owner write
    // is refused has; its retry asks routing afresh.
    const [lead, choice] = await Promise.all([placeLead(input), chooseRep(input)]);
    const rep = choice.rep;
    if (rep) await salesforce.updateLead({ leadId: lead.id, fields: { ...input.assignment, [SF.ownerId]: rep.id } }).catch((err: unknown) => {
      throw withOwner(err, rep.id);
    });
    return { leadId: lead.id, origin: lead.origin, choice };
  }
}

export interface BridgeDeps {
  /** The contract versions: the current one for new handoffs, any by the hash a handoff pinned. */
  versions: ContractVersions;
  /** For the one read the handoff makes locally: the contact attempts at the end of their window. */
  salesforce: SalesforcePort;
  notifier: Notifier;
  /** Builds the signed accept/reject links for a rep and a handoff. */
  actionLinks: (input: { workflowId: string; repId: string; expiresAt: string }) => { acceptUrl: string; rejectUrl: string };
  /** Reaches the portal's routing queue (a freed slot). */
  client: Client;
}

/**
 * The handoff's local activities, run on the orchestration worker inside its workflow task: the
 * contract, alerts to reps, the rep's routing slot freed, and the contact attempts read once at the
 * end of their window. A local
 * activity leaves one marker in history where a task-queue activity leaves six events; the Salesforce
 * read still goes through the adapter, and so through the process's Salesforce budget.
 */
export function createBridgeActivities(deps: BridgeDeps) {
  return {
    /**
     * Pins a contract version: the one named (a rebase), else the one this worker runs. The handoff
     * records only the hash and the part its workflow code reads; activities resolve the rest by hash.
     */
    async loadPolicy(input: { hash?: string }): Promise<PinnedContract> {
      if (input.hash !== undefined) return { hash: input.hash, contract: handoffContractOf(await deps.versions.byHash(input.hash)) };
      const { hash, contract } = await deps.versions.current();
      return { hash, contract: handoffContractOf(contract) };
    },

    /** The Salesforce Tasks on the lead since acceptance: the contact-attempt commitment's evidence. */
    async readContactAttempts(input: { leadId: string; since: string }): Promise<ContactAttempt[]> {
      const tasks = await deps.salesforce.tasksForLead({ ...input, fields: TASK_READ_FIELDS });
      return tasks.map((t) => ({
        id: t.id,
        channel: taskChannel(t.fields[TASK.type]),
        createdAt: String(t.fields[TASK.createdDate]),
      }));
    },

    /**
     * Frees the rep's slot in the portal's routing queue: the lead no longer awaits the rep. A local
     * activity rather than a signal from the workflow: its marker is one history event where a signal
     * costs two and a workflow task of its own (five). Sent again on a retry, it frees nothing twice
     * (the queue releases a handoff's slot once); a queue that is not running has no slot to free.
     */
    async releaseRoutingSlot(input: ReleaseSlot & { portalId: string }): Promise<{ released: boolean }> {
      const { portalId, ...release } = input;
      try {
        await deps.client.workflow.getHandle(routingQueueWorkflowId(portalId)).signal<[ReleaseSlot]>(RELEASE_SLOT_SIGNAL, release);
        return { released: true };
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return { released: false };
        throw err;
      }
    },

    /** Tells RevOps (the contract's `blocked` channels) that a CRM refused one of the handoff's writes for good. */
    async sendBlockedAlert(input: BlockedAlertInput & { contractHash: string }): Promise<{ deliveredAt?: string; channels: string[] }> {
      return sendBlockedAlert(await deps.versions.byHash(input.contractHash), deps.notifier, input);
    },

    /** Alerts the rep on every channel the handoff's contract version and the rep's profile there name. */
    async sendAlert(input: {
      kind: RepAlertMessage['kind'];
      contractHash: string;
      workflowId: string;
      repId: string;
      contactId: string;
      deadline: string;
      contact: Record<string, string | null>;
    }): Promise<{ deliveredAt: string; channels: string[] }> {
      const contract = await deps.versions.byHash(input.contractHash);
      const rep = contract.routing.reps.find((r) => r.id === input.repId);
      if (!rep) throw ApplicationFailure.nonRetryable(`rep ${input.repId} is not in the routing of contract version ${input.contractHash}`, 'RepNotInContract');
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

/**
 * A refused ownership write names the user it tried to make owner (a Salesforce id, not personal data)
 * in the failure's details, so the blocked handoff's alert can say which rep to re-activate.
 */
function withOwner(err: unknown, ownerId: string): unknown {
  if (!(err instanceof ApplicationFailure) || !err.nonRetryable) return err;
  return ApplicationFailure.create({ message: err.message, type: err.type ?? undefined, nonRetryable: true, details: [{ ownerId }] });
}

function alertTargets(contract: Contract, rep: Contract['routing']['reps'][number], kind: RepAlertMessage['kind']) {
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
