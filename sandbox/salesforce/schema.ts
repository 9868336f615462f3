/**
 * The sObjects the sandbox org has and their fields: types, create/update permissions, restricted
 * picklists and references. Field names are case-insensitive on the wire, as in Salesforce; the
 * canonical spelling is the one here.
 */
import { SALESFORCE_LEAD_FIELDS, SALESFORCE_LEAD_STATUSES } from '../../mappings/crm';

export type FieldType = 'id' | 'string' | 'email' | 'picklist' | 'boolean' | 'datetime' | 'date' | 'int' | 'double' | 'reference';

export interface FieldDefinition {
  name: string;
  type: FieldType;
  createable: boolean;
  updateable: boolean;
  required?: boolean;
  picklist?: readonly string[];
  /** A restricted picklist refuses values outside `picklist` (INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST). */
  restricted?: boolean;
  references?: readonly SObjectType[];
  externalId?: boolean;
  unique?: boolean;
  /** Maximum characters of a text field: a longer value is STRING_TOO_LONG, as in Salesforce. */
  length?: number;
  /** The label Salesforce names the field by in describe and in error messages. */
  label?: string;
  defaultValue?: string | boolean;
}

export const SOBJECT_TYPES = ['Lead', 'Task', 'User', 'Opportunity', 'Account', 'Contact', 'Group', 'GroupMember'] as const;
export type SObjectType = (typeof SOBJECT_TYPES)[number];

export const KEY_PREFIXES: Record<SObjectType, string> = {
  Lead: '00Q',
  Task: '00T',
  User: '005',
  Opportunity: '006',
  Account: '001',
  Contact: '003',
  Group: '00G',
  GroupMember: '011',
};

const rw = (name: string, type: FieldType, extra: Partial<FieldDefinition> = {}): FieldDefinition => ({ name, type, createable: true, updateable: true, ...extra });
const ro = (name: string, type: FieldType, extra: Partial<FieldDefinition> = {}): FieldDefinition => ({ name, type, createable: false, updateable: false, ...extra });

const systemFields: FieldDefinition[] = [
  ro('Id', 'id'),
  ro('CreatedDate', 'datetime'),
  ro('LastModifiedDate', 'datetime'),
  ro('SystemModstamp', 'datetime'),
  ro('CreatedById', 'reference', { references: ['User'] }),
  ro('LastModifiedById', 'reference', { references: ['User'] }),
  ro('IsDeleted', 'boolean'),
];
const owner = rw('OwnerId', 'reference', { references: ['User'] });

export const CONVERTED_LEAD_STATUSES: readonly string[] = ['Closed - Converted'];
export const TASK_TYPES = ['Call', 'Email', 'Meeting', 'Other'] as const;
export const OPPORTUNITY_STAGES = ['Prospecting', 'Qualification', 'Needs Analysis', 'Proposal/Price Quote', 'Negotiation/Review', 'Closed Won', 'Closed Lost'] as const;

const L = SALESFORCE_LEAD_FIELDS;

/** Lead.LeadSource: Salesforce's default values plus those the built-in contract's value map writes. */
export const LEAD_SOURCES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other', 'Advertisement', 'Email', 'Social'] as const;

export const SOBJECT_FIELDS: Record<SObjectType, FieldDefinition[]> = {
  Lead: [
    ...systemFields,
    owner,
    rw(L.firstName, 'string', { length: 40, label: 'First Name' }),
    rw(L.lastName, 'string', { required: true, length: 80, label: 'Last Name' }),
    ro('Name', 'string'),
    rw(L.company, 'string', { required: true, length: 255, label: 'Company' }),
    rw(L.email, 'email', { length: 80, label: 'Email' }),
    rw('Phone', 'string', { length: 40, label: 'Phone' }),
    rw(L.title, 'string', { length: 128, label: 'Title' }),
    rw(L.country, 'string', { length: 80, label: 'Country' }),
    rw(L.industry, 'string'),
    rw(L.employees, 'int'),
    rw(L.leadSource, 'picklist', { picklist: LEAD_SOURCES }),
    rw(L.status, 'picklist', { picklist: SALESFORCE_LEAD_STATUSES, restricted: true, required: true, defaultValue: 'Open - Not Contacted' }),
    rw('Rating', 'picklist', { picklist: ['Hot', 'Warm', 'Cold'] }),
    rw('Description', 'string'),
    ro(L.isConverted, 'boolean', { defaultValue: false }),
    ro('ConvertedDate', 'date'),
    ro(L.convertedOpportunityId, 'reference', { references: ['Opportunity'] }),
    ro('ConvertedAccountId', 'reference', { references: ['Account'] }),
    ro('ConvertedContactId', 'reference', { references: ['Contact'] }),
    rw(L.hubspotContactId, 'string', { externalId: true, unique: true }),
    rw(L.lifecycleStage, 'string'),
    rw(L.mqlAt, 'datetime'),
    rw(L.assignedAt, 'datetime'),
    rw(L.slaDeadline, 'datetime'),
    rw(L.acceptedAt, 'datetime'),
    rw(L.firstAttemptAt, 'datetime'),
    rw(L.rejectionReason, 'string'),
    rw(L.disposition, 'string'),
    // Custom fields the shipped presets' definitions, field mappings and feedback read (a RevOps set-up
    // step in a real org): the SQL signals, the account-based and product-led mappings.
    rw('Need_Confirmed__c', 'boolean', { defaultValue: false }),
    rw('Budget_Confirmed__c', 'boolean', { defaultValue: false }),
    rw('Authority_Level__c', 'picklist', { picklist: ['Decision maker', 'Budget holder', 'Influencer', 'End user'] }),
    rw('Purchase_Timeline__c', 'picklist', { picklist: ['This quarter', 'Next quarter', 'Within a year', 'No timeline'] }),
    rw('Closed_Lost_Reason__c', 'picklist', { picklist: ['Price', 'Competitor', 'No decision', 'Timing', 'Other'] }),
    rw('Buying_Role__c', 'picklist', { picklist: ['DECISION_MAKER', 'BUDGET_HOLDER', 'CHAMPION', 'INFLUENCER', 'END_USER', 'BLOCKER', 'OTHER'] }),
    rw('Account_Tier__c', 'picklist', { picklist: ['tier_1', 'tier_2', 'tier_3'] }),
    rw('Product_Plan__c', 'picklist', { picklist: ['free', 'trial', 'team', 'enterprise'] }),
    rw('Product_Weekly_Active_Users__c', 'double'),
  ],
  Task: [
    ...systemFields,
    owner,
    rw('WhoId', 'reference', { references: ['Lead', 'Contact'] }),
    rw('WhatId', 'reference', { references: ['Opportunity', 'Account'] }),
    rw('Subject', 'string'),
    rw('Type', 'picklist', { picklist: TASK_TYPES }),
    rw('Status', 'picklist', { picklist: ['Not Started', 'In Progress', 'Completed', 'Waiting on someone else', 'Deferred'], defaultValue: 'Not Started' }),
    rw('Priority', 'picklist', { picklist: ['High', 'Normal', 'Low'], defaultValue: 'Normal' }),
    rw('ActivityDate', 'date'),
    rw('CallDisposition', 'string'),
    rw('Description', 'string'),
  ],
  User: [
    ...systemFields,
    rw('Username', 'string', { required: true, unique: true }),
    rw('Email', 'email', { required: true }),
    rw('FirstName', 'string'),
    rw('LastName', 'string', { required: true }),
    ro('Name', 'string'),
    rw('Alias', 'string'),
    rw('IsActive', 'boolean', { defaultValue: true }),
    rw('TimeZoneSidKey', 'string'),
    // A custom field an org uses for out of office (the contract names it: routing.pool.outOfOfficeField).
    rw('Out_Of_Office__c', 'boolean', { defaultValue: false }),
  ],
  // Public groups (Type Regular) and queues (Type Queue), and who is in them, as routing pools.
  Group: [
    ...systemFields,
    rw('Name', 'string', { required: true, length: 40 }),
    rw('DeveloperName', 'string', { required: true, unique: true, length: 80 }),
    rw('Type', 'picklist', { picklist: ['Regular', 'Queue', 'Role', 'RoleAndSubordinates', 'Organization'], restricted: true, required: true, defaultValue: 'Regular' }),
  ],
  GroupMember: [
    ...systemFields,
    rw('GroupId', 'reference', { required: true, references: ['Group'], updateable: false }),
    rw('UserOrGroupId', 'reference', { required: true, references: ['User', 'Group'], updateable: false }),
  ],
  Opportunity: [
    ...systemFields,
    owner,
    rw('Name', 'string', { required: true }),
    rw('StageName', 'picklist', { picklist: OPPORTUNITY_STAGES, restricted: true, required: true }),
    rw('CloseDate', 'date', { required: true }),
    rw('Amount', 'double'),
    rw('AccountId', 'reference', { references: ['Account'] }),
    rw('LeadSource', 'picklist', { picklist: ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'] }),
  ],
  Account: [...systemFields, owner, rw('Name', 'string', { required: true }), rw('Industry', 'string')],
  Contact: [
    ...systemFields,
    owner,
    rw('FirstName', 'string'),
    rw('LastName', 'string', { required: true }),
    ro('Name', 'string'),
    rw('Email', 'email'),
    rw('AccountId', 'reference', { references: ['Account'] }),
  ],
};

const byLowerName = new Map(
  SOBJECT_TYPES.map((type) => [type, new Map(SOBJECT_FIELDS[type].map((f) => [f.name.toLowerCase(), f]))] as const),
);

export function sobjectType(name: string): SObjectType | undefined {
  return SOBJECT_TYPES.find((type) => type.toLowerCase() === name.toLowerCase());
}

export function fieldOf(type: SObjectType, name: string): FieldDefinition | undefined {
  return byLowerName.get(type)?.get(name.toLowerCase());
}
