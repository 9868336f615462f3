/** The handoff's activities (the leadHandoff workflow's CRM steps) and the watcher's and sweep's loop activities. Other folders import from here only. */
export { type AssignLeadResult, type BridgeActivities, type BridgeDeps, createBridgeActivities, createHubSpotActivities, createSalesforceActivities, type HubSpotActivities, type SalesforceActivities } from './handoff-activities';
export { type BridgeLoopActivities, createBridgeLoopActivities, createSalesforceWatchActivities, type ForwardableLeadChange, type SalesforceWatchActivities, sqlSignalFields } from './loop-activities';
export { HEARTBEAT_EVERY_MS } from './heartbeat-while';
