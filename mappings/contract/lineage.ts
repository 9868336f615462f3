/**
 * Lineage of each commitment: where its start and stop events are recorded, whether measuring it
 * needs data to cross the HubSpot–Salesforce connector (and under which sync rule, with what lag),
 * and `SIGNAL MISSING: …` where no mapped source exists and a person must check by hand.
 *
 * The shared dashboard is built in HubSpot, so a commitment crosses the integration whenever one of
 * its events is recorded in Salesforce (or, for data completeness, must reach Salesforce for the rep).
 * Bridge stamps are written by the bridge in both systems at once and never wait for the connector.
 */
import { bridgeStamps, knownProperties, type KnownProperties } from './known-properties';
import type { Contract, EventRef } from './schema';
import { syncDirections, type SyncRule } from './sync-rules';

export interface CommitmentLineage {
  commitmentId: string;
  start: EventRef;
  stop: EventRef;
  crossesIntegration: boolean;
  syncRule?: SyncRule;
  /** Minutes the measure can lag reality: the connector's cycle when it crosses, else 0. */
  lagMinutes: number;
  signalMissing?: string;
}

interface Reach {
  crosses: boolean;
  rule?: SyncRule;
  missing?: string;
}

function reachHubSpot(end: EventRef, contract: Contract, known: KnownProperties): Reach {
  if (end.system === 'bridge') {
    return bridgeStamps().has(end.field) ? { crosses: false } : { crosses: false, missing: `the bridge stamps no "${end.field}"` };
  }
  if (end.system === 'hubspot') {
    return known.hubspot.has(end.field) ? { crosses: false } : { crosses: false, missing: `HubSpot property "${end.field}" is not a known property` };
  }
  if (end.field.startsWith('Task.')) {
    return { crosses: true, missing: `Salesforce Tasks (${end.field}) do not cross the connector as fields: count them in a Salesforce activity report` };
  }
  const mapping = contract.fieldMappings.find((m) => m.salesforce === end.field && syncDirections(m.rule).toHubSpot);
  if (mapping) return { crosses: true, rule: mapping.rule };
  if (!known.salesforce.has(end.field)) return { crosses: true, missing: `Salesforce field "${end.field}" is not a known field` };
  return { crosses: true, missing: `Salesforce ${end.field} has no field mapping to HubSpot: read it from a Salesforce report` };
}

/** Completeness as sales sees it: each required property must reach the Salesforce lead. */
function completenessReach(contract: Contract): { stop: EventRef; reach: Reach } {
  const required = contract.dataCompleteness.requiredProperties;
  const mappings = required.map((p) => contract.fieldMappings.find((m) => m.hubspot === p && syncDirections(m.rule).toSalesforce));
  const unmapped = required.filter((_, i) => !mappings[i]);
  const rules = [...new Set(mappings.flatMap((m) => (m ? [m.rule] : [])))];
  const stop: EventRef = { system: 'salesforce', field: mappings.flatMap((m) => (m ? [m.salesforce] : [])).join(', ') || '(none)' };
  const reach: Reach = { crosses: required.length > 0 };
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
    const lineage: CommitmentLineage = {
      commitmentId: c.id,
      start: m.start,
      stop,
      crossesIntegration,
      lagMinutes: crossesIntegration ? contract.connector.cycleMinutes : 0,
    };
    const rule = stopReach.rule ?? startReach.rule;
    if (rule) lineage.syncRule = rule;
    if (missing.length) lineage.signalMissing = `SIGNAL MISSING: ${missing.join('; ')}`;
    return lineage;
  });
}
