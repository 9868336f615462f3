/**
 * The custom search attributes that make the Temporal UI answer "which leads are stuck?". Kept small:
 * SQL visibility has a limited number of slots per type.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const LEAD_STAGE = defineSearchAttributeKey('LeadStage', SearchAttributeType.KEYWORD);
export const SLA_DEADLINE = defineSearchAttributeKey('SlaDeadline', SearchAttributeType.DATETIME);
export const OWNER_ID = defineSearchAttributeKey('OwnerId', SearchAttributeType.KEYWORD);
export const LEAD_SOURCE = defineSearchAttributeKey('LeadSource', SearchAttributeType.KEYWORD);
export const BREACHED = defineSearchAttributeKey('Breached', SearchAttributeType.BOOL);
export const REJECTION_REASON = defineSearchAttributeKey('RejectionReason', SearchAttributeType.KEYWORD);
export const REASSIGN_COUNT = defineSearchAttributeKey('ReassignCount', SearchAttributeType.INT);
/** While LeadStage is "Blocked": the step a CRM refused for good (assignLead, updateLead, writeContact, ...). */
export const BLOCKED_STEP = defineSearchAttributeKey('BlockedStep', SearchAttributeType.KEYWORD);
/** While LeadStage is "Blocked": what the CRM answered (INACTIVE_OWNER_OR_USER, HTTP_400_VALIDATION_ERROR). */
export const BLOCKED_CODE = defineSearchAttributeKey('BlockedCode', SearchAttributeType.KEYWORD);
/**
 * While LeadStage is "Routing": why no rep took the lead yet. `capacity` (every working rep at a cap:
 * waitlisted until a slot frees), `off_hours` (nobody works now: asleep until the pool's next working
 * time), `no_rep` (nobody can ever take it as the contract stands: territory uncovered, all missed it).
 */
export const ROUTING_WAIT = defineSearchAttributeKey('RoutingWait', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTES = [
  LEAD_STAGE,
  SLA_DEADLINE,
  OWNER_ID,
  LEAD_SOURCE,
  BREACHED,
  REJECTION_REASON,
  REASSIGN_COUNT,
  BLOCKED_STEP,
  BLOCKED_CODE,
  ROUTING_WAIT,
] as const;

const CLI_TYPE: Record<SearchAttributeType, string> = {
  [SearchAttributeType.TEXT]: 'Text',
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.INT]: 'Int',
  [SearchAttributeType.DOUBLE]: 'Double',
  [SearchAttributeType.BOOL]: 'Bool',
  [SearchAttributeType.DATETIME]: 'Datetime',
  [SearchAttributeType.KEYWORD_LIST]: 'KeywordList',
};

/** `Name=Type` pairs for `temporal server start-dev --search-attribute` and `operator search-attribute create`. */
export function searchAttributeCliPairs(): string[] {
  return SEARCH_ATTRIBUTES.map((key) => `${key.name}=${CLI_TYPE[key.type]}`);
}
