/**
 * The reconciliation's activities from their dependencies. They all read or write the run's report
 * store, so register them on workers that share its directory (the orchestration queue: one process
 * in `all` mode, or a shared volume). Every CRM call inside them goes through the CRM's call budget,
 * the one live handoffs use (the adapters' and the reads adapter's `budget`), so a reconciliation and
 * live traffic together stay within the portal's limits. Only HubSpot search, which HubSpot limits
 * per second apart from the 10 s budget, has a pace of its own here.
 */
import type { Client } from '@temporalio/client';
import type { Contract } from '../../mappings/contract';
import { createClassifyActivities } from './reconcile-classify';
import { createExtrasActivities } from './reconcile-extras';
import { createPacer } from './reconcile-pacer';
import type { ReconcileReadsPort, ReportRenderer, ReportStore } from './reconcile-ports';
import { createRepairActivities } from './reconcile-repair';
import { createReportActivities } from './reconcile-report';
import { createSnapshotActivities } from './reconcile-snapshot';
import type { HubSpotPort, SalesforcePort } from '../ports';

export interface ReconcileRates {
  /** HubSpot search requests a second (HubSpot allows 4–5 per token). */
  hubspotSearchPerSecond: number;
}

export const DEFAULT_RECONCILE_RATES: ReconcileRates = { hubspotSearchPerSecond: 4 };

export interface ReconcileDeps {
  hubspot: HubSpotPort;
  salesforce: SalesforcePort;
  reads: ReconcileReadsPort;
  client: Client;
  store: ReportStore;
  contract: () => Contract;
  renderers: ReportRenderer[];
  rates?: Partial<ReconcileRates>;
}

export function createReconcileActivities(deps: ReconcileDeps) {
  const rates = { ...DEFAULT_RECONCILE_RATES, ...deps.rates };
  const pacers = { hubspotSearch: createPacer(rates.hubspotSearchPerSecond) };
  const { hubspot, salesforce, reads, client, store, contract } = deps;
  return {
    ...createSnapshotActivities({ hubspot, salesforce, store, contract, pacers }),
    ...createExtrasActivities({ client, reads, store, contract }),
    ...createClassifyActivities({ store, contract }),
    ...createRepairActivities({ hubspot, salesforce, client, store }),
    ...createReportActivities({ store, contract, renderers: deps.renderers }),
  };
}

export type ReconcileActivities = ReturnType<typeof createReconcileActivities>;
