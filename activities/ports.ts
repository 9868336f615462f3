/**
 * The ports: what the bridge needs from each external system, and nothing more. Workflows see these
 * only through activities; the worker wires real adapters (the official clients pointed at a portal
 * or at the local sandboxes). Every method takes one object and returns one object or value.
 */

/** A HubSpot contact as the bridge sees it: string-valued properties, `null` when blank. */
export interface HubSpotContact {
  id: string;
  properties: Record<string, string | null>;
  updatedAt: string;
}

export type HubSpotFilterOperator =
  | 'EQ'
  | 'NEQ'
  | 'LT'
  | 'LTE'
  | 'GT'
  | 'GTE'
  | 'BETWEEN'
  | 'IN'
  | 'NOT_IN'
  | 'HAS_PROPERTY'
  | 'NOT_HAS_PROPERTY'
  | 'CONTAINS_TOKEN'
  | 'NOT_CONTAINS_TOKEN';

export interface HubSpotFilter {
  propertyName: string;
  operator: HubSpotFilterOperator;
  value?: string;
  values?: string[];
  highValue?: string;
}

export interface HubSpotFilterGroup {
  filters: HubSpotFilter[];
}

export interface HubSpotOwner {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
}

export interface HubSpotPort {
  /** One contact, or null when it does not exist. Calls from concurrent handoffs share batch reads. */
  getContact(input: { contactId: string; properties: string[] }): Promise<HubSpotContact | null>;
  /** Many contacts by id through batch reads (≤ 100 ids a call); ids that do not exist are absent. */
  getContacts(input: { contactIds: string[]; properties: string[] }): Promise<HubSpotContact[]>;
  /** Writes properties (never `lifecyclestage`: see setLifecycleStage). Shares batch updates. */
  updateContact(input: { contactId: string; properties: Record<string, string> }): Promise<void>;
  /**
   * Moves the lifecycle stage, backwards included: HubSpot ignores an earlier stage unless the
   * property is cleared first, so a backwards move is two calls. Returns the stage read back.
   */
  setLifecycleStage(input: { contactId: string; stage: string }): Promise<{ previous: string | null; current: string | null }>;
  /** Adds contacts to a static list; idempotent. */
  addToList(input: { listId: string; contactIds: string[] }): Promise<void>;
  /** Removes contacts from a static list; idempotent. */
  removeFromList(input: { listId: string; contactIds: string[] }): Promise<void>;
  /** One page of the search API (≤ 200 a page, 10,000 results at most in all). */
  searchContacts(input: {
    filterGroups: HubSpotFilterGroup[];
    properties: string[];
    sorts?: string[];
    limit?: number;
    after?: string;
  }): Promise<{ results: HubSpotContact[]; total: number; after?: string }>;
  listOwners(): Promise<HubSpotOwner[]>;
  /**
   * A team's owners (the team by id or name), active and archived, from the owners API's `teams`;
   * null when no owner is on such a team. HubSpot owners have no out-of-office state: always false.
   */
  readTeamMembers(input: { team: string }): Promise<{ teamId: string; members: PoolMember[] } | null>;
}

export type SalesforceValue = string | number | boolean | null;

/** A Salesforce record: its Id and the fields that were asked for. */
export interface SalesforceRecord {
  id: string;
  fields: Record<string, SalesforceValue>;
}

export interface SalesforceUser {
  id: string;
  email: string;
  name: string;
  isActive: boolean;
}

/** A Task as the watcher forwards it: on which lead (and so which contact's handoff), of which type, when. */
export interface CreatedTask {
  id: string;
  leadId: string;
  type: string;
  createdAt: string;
  hubspotContactId: string | null;
}

export interface SalesforceCursor {
  /** ISO instant: records with SystemModstamp after it, or in its second (all of them, or those with Id after afterId). */
  since: string;
  afterId?: string;
  /** Changes past that position already returned (read before their second settled): not returned again. */
  readAhead?: Array<{ id: string; modstamp: string }>;
  /** ISO instant: Tasks created from its second on are read for contact attempts (absent: from `since`). */
  tasksSince?: string;
}

export interface SalesforcePort {
  /**
   * The lead for a HubSpot contact, sync-aware: by the lead id the connector wrote back to HubSpot
   * (`salesforceleadid`) when given, then by the HubSpot-id external field (the connector's mapping or
   * an earlier run set it), then by email among unconverted leads. Null when none.
   */
  findLead(input: {
    hubspotContactId: string;
    salesforceLeadId?: string;
    email?: string;
    fields: string[];
  }): Promise<SalesforceRecord | null>;
  /** Upsert by the HubSpot-id external field: one lead per contact, whatever retries happen. */
  upsertLead(input: { hubspotContactId: string; fields: Record<string, SalesforceValue> }): Promise<{ id: string; created: boolean }>;
  /** Writes fields on a lead (owner, status, stamps). Calls from concurrent handoffs share collections. */
  updateLead(input: { leadId: string; fields: Record<string, SalesforceValue> }): Promise<void>;
  getLead(input: { leadId: string; fields: string[] }): Promise<SalesforceRecord | null>;
  /**
   * Leads changed since a cursor, through the present, oldest first, each change once; the cursor to
   * continue from, and whether reading again at once returns more (the page was full).
   */
  leadsChangedSince(input: { cursor: SalesforceCursor; fields: string[]; limit: number }): Promise<{
    leads: SalesforceRecord[];
    cursor: SalesforceCursor;
    more: boolean;
  }>;
  /** The StageName of an opportunity (a converted lead's), or null when there is no such opportunity. */
  getOpportunityStage(input: { opportunityId: string }): Promise<string | null>;
  /** Tasks created since an instant on any lead, oldest first (the watcher's contact-attempt feed), and where to continue. */
  tasksCreatedSince(input: { since: string; limit: number }): Promise<{ tasks: CreatedTask[]; since: string }>;
  /** Tasks logged on a lead (WhoId) since an instant: the contact-attempt evidence. */
  tasksForLead(input: { leadId: string; since: string; fields: string[] }): Promise<SalesforceRecord[]>;
  /** One page of a SOQL query over leads (reconciliation), and the locator for the next page. */
  queryLeads(input: { where?: string; fields: string[]; locator?: string; pageSize?: number }): Promise<{
    records: SalesforceRecord[];
    locator?: string;
    totalSize: number;
  }>;
  listUsers(): Promise<SalesforceUser[]>;
  /**
   * A public group's or queue's user members (by the group's API name), each with IsActive and, when
   * named, the User checkbox that marks them out of office. Null when no such group exists.
   */
  readGroupMembers(input: { groupName: string; outOfOfficeField?: string }): Promise<{ groupId: string; members: PoolMember[] } | null>;
}

export interface PoolMember {
  id: string;
  name: string;
  /** HubSpot owners: how a rep without a HubSpot owner id is matched. */
  email?: string;
  isActive: boolean;
  outOfOffice: boolean;
}

export { CRM_ERROR_TYPES, NON_RETRYABLE_CRM_ERRORS } from '../mappings/crm';

export type AlertChannel = 'slack' | 'teams' | 'email';

/** What a rep (or their manager) is told about a lead: facts, the deadline and the signed links. */
export interface RepAlertMessage {
  /** e.g. "New MQL for you: Acme Corp" — no secrets; personal data only as the rep must see it. */
  title: string;
  facts: Array<{ label: string; value: string }>;
  /** ISO instant of the acceptance deadline. */
  deadline: string;
  acceptUrl: string;
  rejectUrl: string;
  /** "alert" at assignment, "reminder" before breach, "breach" to the manager. */
  kind: 'alert' | 'reminder' | 'breach';
}

/** What RevOps is told when a CRM refused a handoff's write for good: the lead, the step and the fix. */
export interface BlockedAlertMessage {
  kind: 'blocked';
  title: string;
  facts: Array<{ label: string; value: string }>;
  /** What to change before `lead retry`. */
  fix: string;
}

export type AlertMessage = RepAlertMessage | BlockedAlertMessage;

export interface Notifier {
  /** Delivers one message on one channel; `target` is a webhook URL or an email address. */
  send(input: { channel: AlertChannel; target: string; message: AlertMessage }): Promise<{ deliveredAt: string }>;
}
