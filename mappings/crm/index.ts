/** The CRM side of the contract: HubSpot and Salesforce field names, error types, field lengths, task channels. Other folders import from here only. */
export { BLOCKING_CRM_ERRORS, CRM_ERROR_TYPES, NON_RETRYABLE_CRM_ERRORS } from './crm-error-types';
export { CONNECTOR_SOURCE_TYPE, HUBSPOT_LEAD_STATUSES, HUBSPOT_LIFECYCLE_STAGES, HUBSPOT_PROPERTIES, lifecycleRank, OPPORTUNITY_LOST, OPPORTUNITY_WON, SALESFORCE_LEAD_FIELDS, SALESFORCE_LEAD_STATUSES, SALESFORCE_TASK_FIELDS } from './crm-fields';
export { dealStageLike } from './deal-stage-names';
export { fitLeadFieldLengths, type FittedFields } from './salesforce-lengths';
export { taskChannel } from './task-channel';
export { type BudgetLimit, BUSY_WEIGHT, type EpochGrant, epochMs, epochOf, EPOCHS_PER_WINDOW, grantCalls, type HolderRecord, initialKeeperState, type KeeperState, type LeaseRequest } from './budget-epochs';
