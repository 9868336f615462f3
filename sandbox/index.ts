/**
 * Local HubSpot and Salesforce API servers and the emulated native connector between them, for
 * tests, the demo and benchmarks. Product code reaches them over HTTP through the real clients only;
 * the in-process stores are exposed for seeding and assertions.
 */
import type { ConnectorConfig, Connector } from './connector';
import { createConnector } from './connector';
import type { FaultInjector } from './faults';
import { HubSpotStore } from './hubspot/contact-store';
import { startHubSpotSandbox, type HubSpotSandbox, type HubSpotSandboxOptions } from './hubspot/server';
import { startSalesforceSandbox, type SalesforceSandbox, type SalesforceSandboxOptions } from './salesforce/server';
import { SalesforceStore } from './salesforce/store';
import { keepSnapshot, restoreSnapshot } from './snapshot';

export { createConnector, type Connector, type ConnectorConfig, type SyncError, type SyncWrite } from './connector';
export { HubSpotStore, type ChangeSource } from './hubspot/contact-store';
export { startHubSpotSandbox, type HubSpotSandbox, type HubSpotSandboxOptions } from './hubspot/server';
export { signatureV3 } from './hubspot/signature';
export type { WebhookConfig, PropertyChangeEvent } from './hubspot/webhooks';
export { SalesforceStore } from './salesforce/store';
export { startSalesforceSandbox, type SalesforceSandbox, type SalesforceSandboxOptions } from './salesforce/server';
export type { FaultInjector, FaultSettings } from './faults';
export { SandboxSnapshotError, SNAPSHOT_VERSION } from './snapshot';

export interface SandboxesOptions {
  hubspot?: HubSpotSandboxOptions;
  salesforce?: SalesforceSandboxOptions;
  /** Runs the emulated connector between the two when given. */
  connector?: ConnectorConfig & { autoStart?: boolean };
  /**
   * A file that keeps both stores across restarts: loaded before the servers listen when it exists,
   * written on stop() and every `snapshotIntervalMs` (default 10 s; 0 = only on stop).
   */
  snapshotPath?: string;
  snapshotIntervalMs?: number;
  /** Where a failed periodic save is reported (default: stderr); a failed save on stop() rejects. */
  onSnapshotError?: (error: Error) => void;
}

export interface Sandboxes {
  hubspot: HubSpotSandbox;
  salesforce: SalesforceSandbox;
  connector: Connector | undefined;
  faults: { hubspot: FaultInjector; salesforce: FaultInjector };
  /** Set when started with `snapshotPath`; `restored` says whether the file existed and was loaded. */
  snapshot?: { path: string; restored: boolean; save: () => Promise<void> };
  stop(): Promise<void>;
}

const DEFAULT_SNAPSHOT_INTERVAL_MS = 10_000;

interface PreparedOptions {
  hubspot: HubSpotSandboxOptions;
  salesforce: SalesforceSandboxOptions;
  restored: boolean;
}

/** Restores the snapshot into the stores the servers will use, before they accept any request. */
async function restoreBeforeServing(options: SandboxesOptions, path: string | undefined): Promise<PreparedOptions> {
  if (path === undefined) return { hubspot: options.hubspot ?? {}, salesforce: options.salesforce ?? {}, restored: false };
  const stores = {
    hubspot: options.hubspot?.store ?? new HubSpotStore(options.hubspot?.clock),
    salesforce: options.salesforce?.store ?? new SalesforceStore(options.salesforce?.clock),
  };
  const restored = await restoreSnapshot(path, stores);
  return { hubspot: { ...options.hubspot, store: stores.hubspot }, salesforce: { ...options.salesforce, store: stores.salesforce }, restored };
}

export async function startSandboxes(options: SandboxesOptions = {}): Promise<Sandboxes> {
  const path = options.snapshotPath;
  const prepared = await restoreBeforeServing(options, path);
  const started = await Promise.allSettled([startHubSpotSandbox(prepared.hubspot), startSalesforceSandbox(prepared.salesforce)]);
  const [hubspotStart, salesforceStart] = started;
  if (hubspotStart.status === 'rejected' || salesforceStart.status === 'rejected') {
    // One could not listen (a busy port): stop the other, so the process can exit with the error.
    await Promise.all(started.flatMap((s) => (s.status === 'fulfilled' ? [s.value.stop()] : [])));
    throw hubspotStart.status === 'rejected' ? hubspotStart.reason : (salesforceStart as PromiseRejectedResult).reason;
  }
  const [hubspot, salesforce] = [hubspotStart.value, salesforceStart.value];
  const keeper =
    path === undefined
      ? undefined
      : keepSnapshot({
          path,
          stores: { hubspot: hubspot.store, salesforce: salesforce.store },
          intervalMs: options.snapshotIntervalMs ?? DEFAULT_SNAPSHOT_INTERVAL_MS,
          onError: options.onSnapshotError ?? ((error) => console.error(error.message)),
        });
  const connector = options.connector
    ? createConnector({ hubspot: hubspot.store, salesforce: salesforce.store, config: options.connector, ...(options.hubspot?.clock ? { clock: options.hubspot.clock } : {}) })
    : undefined;
  if (connector && options.connector?.autoStart !== false) connector.start();
  return {
    hubspot,
    salesforce,
    connector,
    faults: { hubspot: hubspot.faults, salesforce: salesforce.faults },
    ...(keeper && path !== undefined ? { snapshot: { path, restored: prepared.restored, save: keeper.save } } : {}),
    async stop() {
      await connector?.stop();
      await Promise.all([hubspot.stop(), salesforce.stop()]);
      // Last, once no request or connector cycle can change the stores any more.
      await keeper?.close();
    },
  };
}
