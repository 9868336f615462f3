/**
 * Where the adapters point: the real portals when credentials are set (live mode), otherwise the local
 * sandboxes with their well-known credentials. The same adapters and clients either way.
 */
import type { HubSpotAdapterOptions, SalesforceAdapterOptions } from '../activities/crm';
import { SANDBOX_DEFAULTS } from '../sandbox/defaults';
import type { BridgeConfig } from './config';

export interface CrmConnections {
  hubspot: HubSpotAdapterOptions & { portalId: string; clientSecret: string };
  salesforce: SalesforceAdapterOptions;
}

export function crmConnectionsFrom(config: BridgeConfig, sandboxUrls?: { hubspot: string; salesforce: string }): CrmConnections {
  if (config.crmMode === 'live') {
    const { hubspot, salesforce } = config;
    // loadConfig refuses a live mode without these; the checks keep the types honest.
    if (!hubspot.accessToken || !hubspot.portalId || !hubspot.clientSecret || !salesforce.instanceUrl) {
      throw new Error('live mode needs HUBSPOT_ACCESS_TOKEN, HUBSPOT_PORTAL_ID, HUBSPOT_CLIENT_SECRET and SALESFORCE_INSTANCE_URL');
    }
    return {
      hubspot: {
        accessToken: hubspot.accessToken,
        basePath: hubspot.baseUrl,
        portalId: hubspot.portalId,
        clientSecret: hubspot.clientSecret,
        callBudget: { calls: hubspot.callsPer10Seconds, perMs: 10_000 },
      },
      salesforce: {
        instanceUrl: salesforce.instanceUrl,
        loginUrl: salesforce.loginUrl,
        clientId: salesforce.clientId,
        clientSecret: salesforce.clientSecret,
        accessToken: salesforce.accessToken,
        apiVersion: salesforce.apiVersion,
        callBudget: { calls: salesforce.callsPerSecond, perMs: 1_000 },
      },
    };
  }
  const hubspotUrl = sandboxUrls?.hubspot ?? `http://127.0.0.1:${SANDBOX_DEFAULTS.hubspot.port}`;
  const salesforceUrl = sandboxUrls?.salesforce ?? `http://127.0.0.1:${SANDBOX_DEFAULTS.salesforce.port}`;
  return {
    hubspot: {
      accessToken: SANDBOX_DEFAULTS.hubspot.accessToken,
      basePath: hubspotUrl,
      portalId: config.hubspot.portalId ?? String(SANDBOX_DEFAULTS.hubspot.portalId),
      clientSecret: SANDBOX_DEFAULTS.hubspot.clientSecret,
      callBudget: { calls: config.hubspot.callsPer10Seconds, perMs: 10_000 },
    },
    salesforce: {
      instanceUrl: salesforceUrl,
      loginUrl: salesforceUrl,
      clientId: SANDBOX_DEFAULTS.salesforce.clientId,
      clientSecret: SANDBOX_DEFAULTS.salesforce.clientSecret,
      apiVersion: config.salesforce.apiVersion,
      callBudget: { calls: config.salesforce.callsPerSecond, perMs: 1_000 },
    },
  };
}
