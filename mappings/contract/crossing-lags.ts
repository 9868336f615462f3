/**
 * How late the bridge's own routes carry a Salesforce event to HubSpot: the lineage reports these lags
 * and the workers and workflows run at them, so both read them from here. Pure constants.
 */

/** The bridge's Salesforce watcher polls this often unless told otherwise (worker/bridge.ts). */
export const WATCHER_POLL_SECONDS = 30;
/** How often a handoff checks its converted lead's opportunity for closed won (workflows/lead-handoff.ts). */
export const OPPORTUNITY_CHECK_MINUTES = 24 * 60;
