/**
 * The Temporal visibility queries RevOps pastes into the Web UI (or runs with `handoff-bridge leads
 * stuck`) to answer "where did that lead go?". One string works in the UI's filter box,
 * `client.workflow.list({ query })` and `temporal workflow list --query`; each was checked against the
 * dev server's SQLite visibility (test/stuck-queries.test.ts), which supports fewer operators than
 * Elasticsearch.
 */
import { DateTime, IANAZone } from 'luxon';
import { handoffWorkflowId } from '../api/ids';
import { HANDOFF_WORKFLOW } from '../api/handoff';
import { ROUTING_STAGE } from '../api/routing';
import { BLOCKED_STEP, BREACHED, LEAD_STAGE, OWNER_ID, SLA_DEADLINE } from '../api/search-attributes';

/** Narrows a query to one HubSpot portal's handoffs and/or one Salesforce owner. */
export interface QueryScope {
  portalId?: string;
  ownerId?: string;
}

/** The default contract's `handoff.syncGraceMinutes`: past it, a lead still in MQL is stuck, not waiting. */
export const DEFAULT_SYNC_GRACE_MINUTES = 20;

/**
 * Visibility string literals have no escape syntax we can rely on across SQL and Elasticsearch
 * visibility, so a value that would need escaping is refused rather than mangled into another query.
 */
const SAFE_VALUE = /^[A-Za-z0-9_.:@-]+$/;

function literal(value: string, what: string): string {
  if (!SAFE_VALUE.test(value)) {
    throw new RangeError(`${what} may hold only letters, digits and . _ : @ -, got ${JSON.stringify(value)}`);
  }
  return `"${value}"`;
}

/** RFC 3339, which every visibility store parses for Datetime attributes. */
function instant(at: Date): string {
  return `"${at.toISOString()}"`;
}

/** `handoff:<portal>:`, derived from the id scheme itself so the two cannot drift apart. */
function handoffIdPrefix(portalId: string): string {
  const sample = handoffWorkflowId({ portalId, contactId: 'x' });
  return sample.slice(0, -'x'.length);
}

function narrowed(conditions: string[], scope: QueryScope): string {
  const all = [...conditions];
  if (scope.ownerId !== undefined) all.push(`${OWNER_ID.name} = ${literal(scope.ownerId, 'owner id')}`);
  if (scope.portalId !== undefined) all.push(`WorkflowId STARTS_WITH ${literal(handoffIdPrefix(scope.portalId), 'portal id')}`);
  return all.join(' AND ');
}

/** Open handoffs whose acceptance clock has run out and that nobody has picked up yet. */
export function awaitingAcceptancePastDeadline(now: Date, scope: QueryScope = {}): string {
  return narrowed(
    ['ExecutionStatus = "Running"', `${LEAD_STAGE.name} = "AwaitingAcceptance"`, `${SLA_DEADLINE.name} < ${instant(now)}`],
    scope,
  );
}

/**
 * Handoffs that ended back in nurture since midnight (in `timeZone`, UTC by default). The owner
 * condition keeps out leads that never qualified (New → Nurture) and so were never handed off:
 * only a lead that was assigned can be reverted (an owner filter implies it). The workflow closes
 * once the revert is verified in both systems, so CloseTime is the revert time.
 */
export function revertedToday(now: Date, scope: QueryScope & { timeZone?: string } = {}): string {
  const zone = scope.timeZone ?? 'UTC';
  if (!IANAZone.isValidZone(zone)) throw new RangeError(`unknown time zone ${JSON.stringify(zone)} (use an IANA name such as Europe/Paris)`);
  const midnight = DateTime.fromJSDate(now, { zone }).startOf('day').toJSDate();
  const everAssigned = scope.ownerId === undefined ? [`${OWNER_ID.name} IS NOT NULL`] : [];
  return narrowed([`${LEAD_STAGE.name} = "Nurture"`, ...everAssigned, `CloseTime >= ${instant(midnight)}`], {
    portalId: scope.portalId,
    ownerId: scope.ownerId,
  });
}

/**
 * Every handoff, open or closed, that missed an acceptance window and is now owned by `ownerId`.
 * OwnerId is the current owner: a lead that one rep let breach and another then accepted counts
 * for the one who holds it now.
 */
export function breachedByOwner(ownerId: string, scope: Omit<QueryScope, 'ownerId'> = {}): string {
  return narrowed([`${BREACHED.name} = true`], { ...scope, ownerId });
}

/**
 * Open handoffs still at MQL well after they started: a handoff shows LeadStage=MQL from its start
 * (worker/handoff-starter.ts) and holds it while it waits for the native connector to create the
 * Salesforce lead, so one still there after the grace period is stuck (connector down, upsert or
 * assignment failing and retrying, no worker running it). Such a lead has no owner yet, so this
 * query takes no owner.
 */
export function stuckInSyncWait(now: Date, scope: Omit<QueryScope, 'ownerId'> & { syncGraceMinutes?: number } = {}): string {
  const graceMs = (scope.syncGraceMinutes ?? DEFAULT_SYNC_GRACE_MINUTES) * 60_000;
  return narrowed(
    ['ExecutionStatus = "Running"', `${LEAD_STAGE.name} = "MQL"`, `StartTime < ${instant(new Date(now.getTime() - graceMs))}`],
    { portalId: scope.portalId },
  );
}

/**
 * Open handoffs a CRM refused for good and that wait for `lead retry` (workflows/handoff/blocking.ts):
 * BlockedStep and BlockedCode say where and why. `step` narrows to one cause's step, as
 * `lead retry --all --step` does.
 */
export function blockedHandoffs(scope: QueryScope & { step?: string } = {}): string {
  const step = scope.step !== undefined ? [`${BLOCKED_STEP.name} = ${literal(scope.step, 'step')}`] : [];
  return narrowed(['ExecutionStatus = "Running"', `${LEAD_STAGE.name} = "Blocked"`, ...step], scope);
}

/**
 * Open handoffs no rep can take yet (workflows/routing-hold.ts): RoutingWait says why (`capacity`:
 * every working rep capped, assigned when a slot frees; `off_hours`: asleep until the pool's next
 * working time; `no_rep`: territory uncovered or every rep already missed it).
 */
export function waitingForRep(scope: Omit<QueryScope, 'ownerId'> = {}): string {
  return narrowed(['ExecutionStatus = "Running"', `${LEAD_STAGE.name} = "${ROUTING_STAGE}"`], { portalId: scope.portalId });
}

/**
 * Handoffs that ended Failed: anything a refusal for good does not explain (a bug, a step that
 * exhausted its retries). No lead dies in silence, so these are listed beside the stuck ones.
 */
export function failedHandoffs(scope: QueryScope = {}): string {
  return narrowed(['ExecutionStatus = "Failed"', `WorkflowType = "${HANDOFF_WORKFLOW}"`], scope);
}

/** The Web UI's workflow list with `query` already in its filter: a link to hand someone. */
export function workflowsPageUrl(uiBaseUrl: string, namespace: string, query: string): string {
  const base = uiBaseUrl.replace(/\/+$/, '');
  return `${base}/namespaces/${encodeURIComponent(namespace)}/workflows?query=${encodeURIComponent(query)}`;
}

/** Every open handoff (in one portal, if given): what `lead rebase-contract --all` moves. */
export function openHandoffs(scope: Pick<QueryScope, 'portalId'> = {}): string {
  return narrowed([`WorkflowType = "${HANDOFF_WORKFLOW}"`, 'ExecutionStatus = "Running"'], scope);
}
