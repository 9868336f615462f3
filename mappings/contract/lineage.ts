/**
 * Lineage of each commitment: where its start and stop events are recorded, whether measuring it
 * needs data to cross the HubSpot–Salesforce connector (and under which sync rule, with what lag),
 * and `SIGNAL MISSING: …` where no mapped source exists and a person must check by hand.
 *
 * The shared dashboard is built in HubSpot, so a commitment crosses the integration whenever one of
 * its events is recorded in Salesforce (or, for data completeness, must reach Salesforce for the rep).
 * Bridge stamps are written by the bridge in both systems at once and never wait for the connector;
 * but some stamp an event that happens in Salesforce (the first Task, an acceptance the rep records
 * there): those cross the integration through the bridge's Salesforce watcher, within one poll.
 */
import { HUBSPOT_PROPERTIES as HS } from '../crm';
import { OPPORTUNITY_CHECK_MINUTES, WATCHER_POLL_SECONDS } from './crossing-lags';
import { bridgeStamps, knownProperties, type KnownProperties } from './known-properties';
import type { Contract, EventRef } from './schema';
import { syncDirections, type SyncRule } from './sync-rules';

/**
 * How an event recorded in Salesforce reaches the HubSpot dashboard: the native connector's sync, the
 * bridge's Salesforce watcher, or the bridge's check of a converted lead's opportunity.
 */
export type CrossingRoute = 'connector' | 'watcher' | 'opportunity_check';

export { OPPORTUNITY_CHECK_MINUTES, WATCHER_POLL_SECONDS };

/** Minutes a figure carried by each route can lag what happened in Salesforce. */
export function routeLagMinutes(route: CrossingRoute, connectorCycleMinutes: number): number {
  if (route === 'connector') return connectorCycleMinutes;
  return route === 'watcher' ? WATCHER_POLL_SECONDS / 60 : OPPORTUNITY_CHECK_MINUTES;
}

/** Bridge stamps of events that happen in Salesforce: the watcher forwards them, the bridge stamps both systems. */
export const STAMPED_FROM_SALESFORCE: ReadonlySet<string> = new Set([HS.handoffFirstAttemptAt, HS.handoffAcceptedAt]);

export interface CommitmentLineage {
  commitmentId: string;
  start: EventRef;
  stop: EventRef;
  crossesIntegration: boolean;
  /** The routes its Salesforce events take to HubSpot (empty when none is recorded in Salesforce). */
  crossesVia: CrossingRoute[];
  syncRule?: SyncRule;
  /** Minutes the measure can lag reality: the slowest route's (the connector's cycle, one watcher poll), else 0. */
  lagMinutes: number;
  signalMissing?: string;
}

interface Reach {
  crosses: boolean;
  via?: CrossingRoute;
  rule?: SyncRule;
  missing?: string;
}

function reachHubSpot(end: EventRef, contract: Contract, known: KnownProperties): Reach {
  if (end.system === 'bridge') {
    if (!bridgeStamps().has(end.field)) return { crosses: false, missing: `the bridge stamps no "${end.field}"` };
    return STAMPED_FROM_SALESFORCE.has(end.field) ? { crosses: true, via: 'watcher' } : { crosses: false };
  }
  if (end.system === 'hubspot') {
    return known.hubspot.has(end.field) ? { crosses: false } : { crosses: false, missing: `HubSpot property "${end.field}" is not a known property` };
  }
  if (end.field.startsWith('Task.')) {
    return { crosses: true, via: 'connector', missing: `Salesforce Tasks (${end.field}) do not cross the connector as fields: count them in a Salesforce activity report` };
  }
  const mapping = contract.fieldMappings.find((m) => m.salesforce === end.field && syncDirections(m.rule).toHubSpot);
  if (mapping) return { crosses: true, via: 'connector', rule: mapping.rule };
  if (!known.salesforce.has(end.field)) return { crosses: true, via: 'connector', missing: `Salesforce field "${end.field}" is not a known field` };
  return { crosses: true, via: 'connector', missing: `Salesforce ${end.field} has no field mapping to HubSpot: read it from a Salesforce report` };
}

/** Completeness as sales sees it: each required property must reach the Salesforce lead. */
function completenessReach(contract: Contract): { stop: EventRef; reach: Reach } {
  const required = contract.dataCompleteness.requiredProperties;
  const mappings = required.map((p) => contract.fieldMappings.find((m) => m.hubspot === p && syncDirections(m.rule).toSalesforce));
  const unmapped = required.filter((_, i) => !mappings[i]);
  const rules = [...new Set(mappings.flatMap((m) => (m ? [m.rule] : [])))];
  const stop: EventRef = { system: 'salesforce', field: mappings.flatMap((m) => (m ? [m.salesforce] : [])).join(', ') || '(none)' };
  const reach: Reach = required.length > 0 ? { crosses: true, via: 'connector' } : { crosses: false };
  if (rules.length === 1) reach.rule = rules[0];
  if (unmapped.length) reach.missing = `${unmapped.join(', ')} never reach Salesforce (no field mapping towards it): check the rep's view by hand`;
  return { stop, reach };
}

export function commitmentLineage(contract: Contract): CommitmentLineage[] {
  const known = knownProperties(contract);
  return contract.commitments.map((c) => {
    const m = c.measure;
    const startReach = reachHubSpot(m.start, contract, known);
    let stop: EventRef = m.start;
    let stopReach = startReach;
    if (m.kind === 'completeness') ({ stop, reach: stopReach } = completenessReach(contract));
    else if (m.kind !== 'count') {
      stop = m.stop;
      stopReach = reachHubSpot(m.stop, contract, known);
    }
    const crossesIntegration = startReach.crosses || stopReach.crosses;
    const missing = [...new Set([startReach.missing, stopReach.missing].filter((s): s is string => s !== undefined))];
    const crossesVia = [...new Set([startReach.via, stopReach.via].filter((r): r is CrossingRoute => r !== undefined))];
    const lineage: CommitmentLineage = {
      commitmentId: c.id,
      start: m.start,
      stop,
      crossesIntegration,
      crossesVia,
      lagMinutes: Math.max(0, ...crossesVia.map((route) => routeLagMinutes(route, contract.connector.cycleMinutes))),
    };
    const rule = stopReach.rule ?? startReach.rule;
    if (rule) lineage.syncRule = rule;
    if (missing.length) lineage.signalMissing = `SIGNAL MISSING: ${missing.join('; ')}`;
    return lineage;
  });
}

/** How each route reads in a sentence. */
export const CROSSING_ROUTE_NAMES: Record<CrossingRoute, string> = {
  connector: 'the connector',
  watcher: "the bridge's Salesforce watcher",
  opportunity_check: "the bridge's opportunity check",
};

/** "crosses the connector (always_salesforce)": the routes, with the connector's sync rule. */
export function crossingRoutes(l: Pick<CommitmentLineage, 'crossesVia' | 'syncRule'>): string {
  return `crosses ${l.crossesVia.map((route) => `${CROSSING_ROUTE_NAMES[route]}${route === 'connector' && l.syncRule ? ` (${l.syncRule})` : ''}`).join(' and ')}`;
}

/** "crosses the connector (always_salesforce), lag up to 15 min", or "no crossing". */
export function describeCrossing(l: Pick<CommitmentLineage, 'crossesIntegration' | 'crossesVia' | 'syncRule' | 'lagMinutes'>): string {
  return l.crossesIntegration ? `${crossingRoutes(l)}, lag up to ${l.lagMinutes} min` : 'no crossing';
}
