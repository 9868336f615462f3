/**
 * Every workflow id and task-queue name the bridge uses, derived in one place so the ingress, the
 * worker, the CLI and the tests can never disagree on them.
 */

/** Orchestration (workflow tasks and bridge-internal activities). */
export const HANDOFF_TASK_QUEUE = 'handoff';

/**
 * HubSpot activities run on a queue of their own, derived from the orchestration queue: their own
 * worker slots, so a HubSpot outage never holds the slots Salesforce work needs (and the reverse).
 * The call budget itself is counted in the adapter, per HTTP request.
 */
export function hubspotTaskQueue(orchestrationQueue: string): string {
  return `${orchestrationQueue}-crm-hubspot`;
}

/** Salesforce activities: a queue of their own, for the same reason. */
export function salesforceTaskQueue(orchestrationQueue: string): string {
  return `${orchestrationQueue}-crm-salesforce`;
}

/**
 * Priority leads' handoffs run on a lane of their own: an orchestration queue whose CRM queues derive
 * from it as any other's, each served by workers with their own slots. Under a burst every slot of the
 * main workers is taken, so a task there, however high its priority, waits until one frees; on its
 * lane a hot lead's workflow and activity tasks are polled at once.
 */
export function hotTaskQueue(orchestrationQueue: string): string {
  return `${orchestrationQueue}${HOT_LANE_SUFFIX}`;
}

const HOT_LANE_SUFFIX = '-hot';

/** Whether a handoff running on this orchestration queue is on the hot lane. */
export function isHotTaskQueue(queue: string): boolean {
  return queue.endsWith(HOT_LANE_SUFFIX);
}

/**
 * The routing queue workflows' own task queue, served by a worker of their own: a burst's handoffs
 * then never evict a routing queue from the workflow cache (a replay of its history per update).
 */
export function routingTaskQueue(orchestrationQueue: string): string {
  return `${orchestrationQueue}-routing`;
}

export interface LeadKey {
  portalId: string;
  contactId: string;
}

const HANDOFF_PREFIX = 'handoff';
const ID_PART = /^[A-Za-z0-9_-]+$/;

function checkPart(name: string, value: string): string {
  if (!ID_PART.test(value)) {
    throw new TypeError(`${name} must be letters, digits, '_' or '-', got ${JSON.stringify(value)}`);
  }
  return value;
}

/** `handoff:<portalId>:<contactId>`: one handoff per lead, ever open. */
export function handoffWorkflowId({ portalId, contactId }: LeadKey): string {
  return `${HANDOFF_PREFIX}:${checkPart('portalId', portalId)}:${checkPart('contactId', contactId)}`;
}

/** The inverse of handoffWorkflowId; undefined for any other id. */
export function parseHandoffWorkflowId(workflowId: string): LeadKey | undefined {
  const [prefix, portalId, contactId, ...rest] = workflowId.split(':');
  if (prefix !== HANDOFF_PREFIX || !portalId || !contactId || rest.length) return undefined;
  if (!ID_PART.test(portalId) || !ID_PART.test(contactId)) return undefined;
  return { portalId, contactId };
}

/** The durable routing queue that holds rotation state for one portal. */
export function routingQueueWorkflowId(portalId: string): string {
  return `routing:${checkPart('portalId', portalId)}`;
}

/** The keeper of one CRM call budget (`system` hubspot or salesforce, `account` the portal or org). */
export function callBudgetWorkflowId(system: string, account: string): string {
  return `call-budget:${checkPart('system', system)}:${checkPart('account', account)}`;
}

/** The Salesforce status watcher for one portal. */
export function statusWatcherWorkflowId(portalId: string): string {
  return `sf-status-watcher:${checkPart('portalId', portalId)}`;
}

/** The scheduled MQL sweep (safety net for missed webhooks) for one portal. */
export function mqlSweepScheduleId(portalId: string): string {
  return `mql-sweep:${checkPart('portalId', portalId)}`;
}

/** The scheduled reconciliation for one portal. */
export function reconcileScheduleId(portalId: string): string {
  return `reconcile:${checkPart('portalId', portalId)}`;
}
