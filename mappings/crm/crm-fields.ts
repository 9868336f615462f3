/**
 * The CRM vocabulary the bridge relies on: HubSpot's internal lifecycle and lead-status values,
 * Salesforce's default Lead.Status picklist, and the custom fields the bridge stamps in each system.
 * The contract, the sandboxes, the adapters and the workflow all name fields from here.
 */

/** HubSpot's default lifecycle stages, in their forward order (internal values). */
export const HUBSPOT_LIFECYCLE_STAGES = [
  'subscriber',
  'lead',
  'marketingqualifiedlead',
  'salesqualifiedlead',
  'opportunity',
  'customer',
  'evangelist',
  'other',
] as const;
export type HubSpotLifecycleStage = (typeof HUBSPOT_LIFECYCLE_STAGES)[number];

/** HubSpot's default `hs_lead_status` values. */
export const HUBSPOT_LEAD_STATUSES = [
  'NEW',
  'OPEN',
  'IN_PROGRESS',
  'OPEN_DEAL',
  'UNQUALIFIED',
  'ATTEMPTED_TO_CONTACT',
  'CONNECTED',
  'BAD_TIMING',
] as const;
export type HubSpotLeadStatus = (typeof HUBSPOT_LEAD_STATUSES)[number];

/** Salesforce's default Lead.Status picklist. */
export const SALESFORCE_LEAD_STATUSES = [
  'Open - Not Contacted',
  'Working - Contacted',
  'Closed - Converted',
  'Closed - Not Converted',
] as const;
export type SalesforceLeadStatus = (typeof SALESFORCE_LEAD_STATUSES)[number];

/** HubSpot contact properties: the standard ones the bridge reads, and its own stamps. */
export const HUBSPOT_PROPERTIES = {
  email: 'email',
  firstName: 'firstname',
  lastName: 'lastname',
  company: 'company',
  jobTitle: 'jobtitle',
  country: 'country',
  industry: 'industry',
  employees: 'numemployees',
  leadSource: 'hs_analytics_source',
  lifecycleStage: 'lifecyclestage',
  leadStatus: 'hs_lead_status',
  ownerId: 'hubspot_owner_id',
  score: 'hubspotscore',
  lastModified: 'lastmodifieddate',
  mqlDate: 'hs_lifecyclestage_marketingqualifiedlead_date',
  sqlDate: 'hs_lifecyclestage_salesqualifiedlead_date',
  salesforceLeadId: 'salesforceleadid',
  // The bridge's own stamps (custom properties created by the setup step).
  handoffAssignedAt: 'handoff_assigned_at',
  handoffAlertedAt: 'handoff_alerted_at',
  handoffSlaDeadline: 'handoff_sla_deadline',
  handoffAcceptedAt: 'handoff_accepted_at',
  handoffFirstAttemptAt: 'handoff_first_attempt_at',
  handoffOutcome: 'handoff_outcome',
  handoffOutcomeAt: 'handoff_outcome_at',
  handoffRejectionReason: 'handoff_rejection_reason',
  /** The episode (its MQL date) the flat stamps above belong to, and every episode's stamps (JSON ledger). */
  handoffEpisode: 'handoff_episode',
  handoffEpisodes: 'handoff_episodes',
} as const;

/** Salesforce Lead fields: the standard ones the bridge reads, and its own custom stamps. */
export const SALESFORCE_LEAD_FIELDS = {
  id: 'Id',
  email: 'Email',
  firstName: 'FirstName',
  lastName: 'LastName',
  company: 'Company',
  title: 'Title',
  country: 'Country',
  industry: 'Industry',
  employees: 'NumberOfEmployees',
  leadSource: 'LeadSource',
  status: 'Status',
  ownerId: 'OwnerId',
  isConverted: 'IsConverted',
  convertedOpportunityId: 'ConvertedOpportunityId',
  createdDate: 'CreatedDate',
  systemModstamp: 'SystemModstamp',
  lastModifiedDate: 'LastModifiedDate',
  // Custom fields the bridge relies on (created by the setup step).
  hubspotContactId: 'HubSpot_Contact_Id__c',
  lifecycleStage: 'HubSpot_Lifecycle_Stage__c',
  mqlAt: 'MQL_Date__c',
  assignedAt: 'SLA_Assigned_At__c',
  slaDeadline: 'SLA_Deadline__c',
  acceptedAt: 'SLA_Accepted_At__c',
  firstAttemptAt: 'SLA_First_Attempt_At__c',
  rejectionReason: 'Rejection_Reason__c',
  disposition: 'Disposition__c',
} as const;

/** Salesforce Task fields the contact-attempt commitment is measured from. */
export const SALESFORCE_TASK_FIELDS = {
  id: 'Id',
  whoId: 'WhoId',
  ownerId: 'OwnerId',
  subject: 'Subject',
  type: 'Type',
  status: 'Status',
  createdDate: 'CreatedDate',
  activityDate: 'ActivityDate',
  callDisposition: 'CallDisposition',
} as const;

/** Opportunity.StageName values the bridge acts on: the converted opportunity won or lost. */
export const OPPORTUNITY_WON = 'Closed Won';
export const OPPORTUNITY_LOST = 'Closed Lost';

/**
 * The property-history `sourceType` HubSpot records for the native Salesforce connector's writes:
 * `SALESFORCE`, its own source, distinct from `INTEGRATION` (other apps); see docs/sandboxes.md.
 */
export const CONNECTOR_SOURCE_TYPE = 'SALESFORCE';

export function lifecycleRank(stage: string): number {
  return HUBSPOT_LIFECYCLE_STAGES.indexOf(stage as HubSpotLifecycleStage);
}
