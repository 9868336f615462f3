/** The CRM adapters (HubSpotPort and SalesforcePort over the real clients), their error translation, call budgets, request batching and SOQL: what other folders may use of them. Other folders import from here only. */
export { BATCH_LINGER_MS, type BatchOutcome, type BatchRequest, type CoalescingLoader, createCoalescingLoader, mergeWrites } from './batching';
export { type CallBudget, type CallBudgetLimit, callSpacingMs, createCallBudget, DEFAULT_CALL_BUDGETS, UNBUDGETED } from './call-budget';
export { type BudgetObserver, createSharedCallBudget, type SharedCallBudget, type SharedCallBudgetOptions } from './shared-call-budget';
export { createConcurrencyLimit } from './concurrency-limit';
export { contractProperties, predicateProperties } from './contract-properties';
export { hubspotFailure, salesforceCodeFailure, salesforceFailure } from './crm-errors';
export { type CrmMetadataOptions, readCrmMetadata } from './crm-metadata-adapter';
export { CALL_OPTIONS as HUBSPOT_CALL_OPTIONS, createHubSpotClient, type HubSpotClientOptions } from './hubspot-client';
export { type CrmRequestMeter, type CrmSystem, UNMETERED } from './request-meter';
export { createHubSpotAdapter, type HubSpotAdapterOptions } from './hubspot-adapter';
export { createSalesforceAdapter, type SalesforceAdapterOptions } from './salesforce-adapter';
export { READ_AHEAD_LIMIT } from './salesforce-changes';
export { createSalesforceSession, type SalesforceConnectionOptions } from './salesforce-connection';
export { isoInstant, queryPageSchema } from './salesforce-records';
export { soqlList, soqlLiteral } from './soql';
