/**
 * How the native HubSpot–Salesforce connector moves one field: the vocabulary shared by the contract's
 * field mappings, the lineage analysis and the connector emulation.
 */
export const SYNC_RULES = [
  /** Both directions; the most recent change wins (the source of flip-flops). */
  'two_way',
  /** Salesforce's value, unless it is blank (then HubSpot's). */
  'prefer_salesforce_unless_blank',
  /** Salesforce's value always overwrites HubSpot's. */
  'always_salesforce',
  /** HubSpot's value always overwrites Salesforce's. */
  'always_hubspot',
  /** Not synced: each system keeps its own value. */
  'none',
] as const;
export type SyncRule = (typeof SYNC_RULES)[number];

export interface FieldMapping {
  /** HubSpot contact property (internal name). */
  hubspot: string;
  /** Salesforce Lead field (API name). */
  salesforce: string;
  rule: SyncRule;
  /** Picklist translation, HubSpot value → Salesforce value; an unmapped value is a sync error. */
  valueMap?: Record<string, string>;
}

/** Which way a rule lets data flow. */
export function syncDirections(rule: SyncRule): { toSalesforce: boolean; toHubSpot: boolean } {
  switch (rule) {
    case 'two_way':
      return { toSalesforce: true, toHubSpot: true };
    case 'prefer_salesforce_unless_blank':
      return { toSalesforce: true, toHubSpot: true };
    case 'always_salesforce':
      return { toSalesforce: false, toHubSpot: true };
    case 'always_hubspot':
      return { toSalesforce: true, toHubSpot: false };
    case 'none':
      return { toSalesforce: false, toHubSpot: false };
  }
}
