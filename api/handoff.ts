/**
 * The leadHandoff workflow's public surface: its input and result, and the names and payloads of the
 * signals, updates and queries that the ingress, the watcher, the CLI and the tests share. Below both
 * workflows/ and activities/: it imports neither, nor the workflow runtime (workflows/handoff/
 * messages.ts defines the typed signals, updates and queries from these names).
 */
import type { LeadEvent, Stage } from '../mappings/contract';

export interface HandoffInput {
  portalId: string;
  contactId: string;
  trigger: {
    source: 'webhook' | 'sweep' | 'cli' | 'simulation';
    /** ISO instant the trigger was observed (webhook occurredAt, sweep run time). */
    observedAt: string;
    eventId?: string;
  };
  /** Run on this registered contract version (its hash) instead of the one the worker runs. */
  contractHash?: string;
  /**
   * A priority lead's contact as the ingress read it, moments before the start, to find the priority
   * leads (worker/priority-leads.ts), with the contract version whose properties it read. The handoff
   * takes it as its first read when it runs on that version: the hot lane's way to the alert makes no
   * HubSpot read of its own and one workflow task round fewer.
   */
  contactRead?: ContactRead;
  /**
   * Set only by the handoff itself when a long routing wait continues as new: where the previous run
   * stood, so this run resumes routing without qualifying, creating or alerting again.
   */
  resume?: HandoffResume;
}

/** A HubSpot contact as read: the properties asked for (null when blank). */
export interface ContactSnapshot {
  id: string;
  properties: Record<string, string | null>;
  updatedAt: string;
}

/** A contact read with the properties of one contract version (its hash). */
export interface ContactRead {
  contractHash: string;
  contact: ContactSnapshot;
}

/**
 * What a handoff carries across continue-as-new while it waits for a rep (workflows/handoff/
 * continue-wait.ts). Everything its clocks, counts, stamps and ledger read is here: the state as the
 * `state` query shows it (stage, marks, timeline, reassignments, waitingForRep.since, the contract
 * hash), and what the run keeps beside it.
 */
export interface HandoffResume {
  state: HandoffState;
  /** The routing try the next assignLead makes (its request id): a new try, never an answered one. */
  routingAttempt: number;
  /** Runs before this one in the chain (1 for the first continuation). */
  continuedRuns: number;
  missedBy: string[];
  missingAtHandover?: string[];
  /** The contact as last read from HubSpot (its properties carry the episode ledger the run started from). */
  contact: ContactSnapshot | null;
  leadLabel: string;
  contactChanges: number;
  seenContactEvents: string[];
  converted: boolean;
  sqlSignalled: boolean;
  decision?: { kind: 'accept'; by: DecisionInput } | { kind: 'reject'; by: DecisionInput; reason: string };
  carriedStamps: Record<string, string>;
  /** The outcome this episode last wrote to HubSpot (e.g. RETURNED_INCOMPLETE before requalifying). */
  episodeOutcome: { outcome?: string; outcomeAt?: string };
  /** The first attempt's instant already stamped in both systems, and whether the watch has started. */
  firstAttempt: { started: boolean; stamped?: string };
  /** Blocked causes RevOps has already been alerted about (step/code): not alerted again. */
  blockedAlerted: string[];
}

export type HandoffOutcome =
  | 'not_qualified'
  | 'already_handled'
  | 'contact_missing'
  | 'returned_incomplete'
  | 'accepted'
  | 'qualified'
  | 'converted'
  | 'won'
  | 'reverted_missed'
  | 'reverted_rejected'
  | 'disqualified';

export interface TimelineEntry {
  at: string;
  stage: Stage;
  event: LeadEvent | 'note';
  detail?: string;
}

export interface HandoffState {
  portalId: string;
  contactId: string;
  stage: Stage;
  /** The contract version (content hash) the handoff runs on, from its first step to its end. */
  contractHash?: string;
  ownerId?: string;
  salesforceLeadId?: string;
  deadline?: string;
  reassignments: number;
  breached: boolean;
  rejectionReason?: string;
  outcome?: HandoffOutcome;
  /** Observable instants, each from the system where it happened. */
  marks: {
    mqlAt?: string;
    handoffStartedAt?: string;
    salesforceLeadReadyAt?: string;
    assignedAt?: string;
    alertedAt?: string;
    acceptedAt?: string;
    firstAttemptAt?: string;
    outcomeAt?: string;
    /** The episode's first assignment: a reassignment moves `assignedAt`, never this. */
    firstAssignedAt?: string;
    firstAlertedAt?: string;
  };
  /**
   * System delay (bridge + sync) kept apart from rep delay, in seconds. `blockedSeconds` is the part of
   * the system delay the handoff spent Blocked (a CRM refused a write until someone fixed it).
   */
  delays: { systemSeconds?: number; repSeconds?: number; blockedSeconds?: number };
  /** Set while a CRM has refused one of the handoff's steps for good and it waits for `lead retry`. */
  blocked?: BlockedStep;
  /** Set while no rep can take the lead yet (LeadStage "Routing"): why, since when, until when at most. */
  waitingForRep?: { kind: 'capacity' | 'off_hours' | 'no_rep'; reason: string; since: string; retryAt?: string };
  timeline: TimelineEntry[];
  flags: string[];
}

export type HandoffResult = Pick<HandoffState, 'stage' | 'outcome' | 'ownerId' | 'salesforceLeadId' | 'rejectionReason' | 'marks' | 'delays' | 'flags'>;

/** A step a CRM refused for good: LeadStage reads "Blocked" until a retry gets it through. */
export interface BlockedStep {
  /** The refused activity: assignLead, updateLead, writeContact, addToList, ... */
  step: string;
  /** What the CRM answered: its error code (INACTIVE_OWNER_OR_USER), else the failure type. */
  code: string;
  /** CrmInvalidRequest, CrmNotFound or CrmUnauthorized. */
  errorType: string;
  /** When the handoff stopped (ISO); the block's time counts as system delay. */
  since: string;
  /** Retries asked for so far in this block. */
  retries: number;
  /** The Salesforce user an assignment tried to make owner. */
  ownerId?: string;
}

/** `lead retry`: run the refused step again after the fix. `step`, when given, must be the blocked one. */
export interface RetryInput {
  actor: string;
  step?: string;
}

/** `lead rebase-contract`: move an open handoff to a registered contract version. */
export interface RebaseContractInput {
  hash: string;
  actor: string;
}

export interface RebaseContractResult {
  from: string;
  to: string;
  stage: Stage;
}

export interface DecisionInput {
  /** Who decided: a rep's Salesforce user id, or "cli:<operator>". */
  actor: string;
  via: 'link' | 'cli' | 'salesforce';
  /**
   * A decision made as a rep (a signed link always; the CLI with --rep): refused unless that rep owns
   * the lead, in the assignment whose deadline is given (a link carries its assignment's deadline).
   */
  asOwner?: { repId: string; deadline?: string };
}

export interface RejectInput extends DecisionInput {
  /** A code from the contract's closed rejection taxonomy. */
  reason: string;
}

/** A property change HubSpot reported for the lead's contact (webhook, deduplicated by eventId). */
export interface ContactChange {
  eventId: string;
  propertyName: string;
  propertyValue: string;
  occurredAt: string;
}

/** A change the Salesforce watcher saw on the lead. */
export interface LeadChange {
  leadId: string;
  status?: string;
  ownerId?: string;
  isConverted?: boolean;
  rejectionReason?: string;
  modifiedAt: string;
  /** The fields the contract's SQL definition reads, as the lead holds them now. */
  fields?: Record<string, string | null>;
  /** A Task logged on the lead (a contact attempt), forwarded within one watcher poll of appearing. */
  attempt?: { taskId: string; channel: string; createdAt: string };
}

/** Names, for callers (activities) that reach the workflow through the client by name. */
export const HANDOFF_WORKFLOW = 'leadHandoff';
export const CONTACT_CHANGED_SIGNAL = 'contactChanged';
export const LEAD_CHANGED_SIGNAL = 'leadChanged';
export const ACCEPT_UPDATE = 'accept';
export const REJECT_UPDATE = 'reject';
export const RETRY_UPDATE = 'retry';
export const STATE_QUERY = 'state';
export const REBASE_CONTRACT_UPDATE = 'rebaseContract';
