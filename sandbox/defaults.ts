/**
 * The sandboxes' well-known ports and credentials: what `handoff-bridge sandbox` prints and what the
 * bridge uses in sandbox mode (no CRM credentials in the environment). Never valid anywhere else.
 */
export const SANDBOX_DEFAULTS = {
  hubspot: {
    port: 4010,
    accessToken: 'pat-sandbox-hubspot-token',
    clientSecret: 'sandbox-hubspot-client-secret',
    portalId: 4402,
  },
  salesforce: {
    port: 4020,
    clientId: '3MVG9sandbox.handoff.bridge',
    clientSecret: 'sandbox-salesforce-client-secret',
  },
} as const;
