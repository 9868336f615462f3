/**
 * Local HubSpot and Salesforce API servers and the emulated native connector between them, for
 * tests, the demo and benchmarks. Product code reaches them over HTTP through the real clients only;
 * the in-process stores are exposed for seeding and assertions.
 */
import type { ConnectorConfig, Connector } from './connector';
import { createConnector } from './connector';
import type { FaultInjector } from './faults';
import { startHubSpotSandbox, type HubSpotSandbox, type HubSpotSandboxOptions } from './hubspot/server';
import { startSalesforceSandbox, type SalesforceSandbox, type SalesforceSandboxOptions } from './salesforce/server';

export { createConnector, type Connector, type ConnectorConfig, type SyncError, type SyncWrite } from './connector';
export { HubSpotStore, type ChangeSource } from './hubspot/contact-store';
export { startHubSpotSandbox, type HubSpotSandbox, type HubSpotSandboxOptions } from './hubspot/server';
export { signatureV3 } from './hubspot/signature';
export type { WebhookConfig, PropertyChangeEvent } from './hubspot/webhooks';
export { SalesforceStore } from './salesforce/store';
export { startSalesforceSandbox, type SalesforceSandbox, type SalesforceSandboxOptions } from './salesforce/server';
export type { FaultInjector, FaultSettings } from './faults';

export interface SandboxesOptions {
  hubspot?: HubSpotSandboxOptions;
  salesforce?: SalesforceSandboxOptions;
  /** Runs the emulated connector between the two when given. */
  connector?: ConnectorConfig & { autoStart?: boolean };
}

export interface Sandboxes {
  hubspot: HubSpotSandbox;
  salesforce: SalesforceSandbox;
  connector: Connector | undefined;
  faults: { hubspot: FaultInjector; salesforce: FaultInjector };
  stop(): Promise<void>;
}

export async function startSandboxes(options: SandboxesOptions = {}): Promise<Sandboxes> {
  const [hubspot, salesforce] = await Promise.all([startHubSpotSandbox(options.hubspot), startSalesforceSandbox(options.salesforce)]);
  const connector = options.connector
    ? createConnector({ hubspot: hubspot.store, salesforce: salesforce.store, config: options.connector, ...(options.hubspot?.clock ? { clock: options.hubspot.clock } : {}) })
    : undefined;
  if (connector && options.connector?.autoStart !== false) connector.start();
  return {
    hubspot,
    salesforce,
    connector,
    faults: { hubspot: hubspot.faults, salesforce: salesforce.faults },
    async stop() {
      await connector?.stop();
      await Promise.all([hubspot.stop(), salesforce.stop()]);
    },
  };
}
