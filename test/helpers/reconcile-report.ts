/** A whole ReconcileReport around an SLA report, for tests of the renderings (which read the whole report). */
import { countByClass, parseRepairPolicy } from '../../mappings/metrics';
import type { DriftReportItem, ReconcileReport, SlaReport } from '../../mappings/metrics';
import type { Contract } from '../../mappings/contract';

export function reconcileReportOf(contract: Contract, sla: SlaReport, items: DriftReportItem[] = []): ReconcileReport {
  return {
    runId: '20260630T120000Z-abcdef12',
    generatedAt: sla.window.to,
    portalId: '4402',
    contract: { name: contract.name, version: contract.version },
    snapshot: { contacts: 10, leads: 9, histories: 3, apiCalls: { hubspot: 2, salesforce: 1 } },
    drift: { counts: countByClass(items), newCount: items.filter((i) => i.isNew).length, repaired: 0, repairFailed: 0, policy: parseRepairPolicy(undefined), items },
    sla,
  };
}
