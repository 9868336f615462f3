/**
 * The field mappings a fresh HubSpot–Salesforce connector installs for contacts ↔ leads (the demo's
 * default until a contract names its own), with the lead-status picklist translated.
 */
import { HUBSPOT_PROPERTIES as P, SALESFORCE_LEAD_FIELDS as L } from '../mappings/crm';
import type { FieldMapping } from '../mappings/contract';

export const DEFAULT_CONNECTOR_MAPPINGS: FieldMapping[] = [
  { hubspot: P.email, salesforce: L.email, rule: 'two_way' },
  { hubspot: P.firstName, salesforce: L.firstName, rule: 'two_way' },
  { hubspot: P.lastName, salesforce: L.lastName, rule: 'two_way' },
  { hubspot: P.company, salesforce: L.company, rule: 'two_way' },
  { hubspot: P.jobTitle, salesforce: L.title, rule: 'two_way' },
  { hubspot: P.country, salesforce: L.country, rule: 'prefer_salesforce_unless_blank' },
  { hubspot: P.industry, salesforce: L.industry, rule: 'prefer_salesforce_unless_blank' },
  { hubspot: P.employees, salesforce: L.employees, rule: 'prefer_salesforce_unless_blank' },
  { hubspot: P.ownerId, salesforce: L.ownerId, rule: 'two_way' },
  { hubspot: P.lifecycleStage, salesforce: L.lifecycleStage, rule: 'always_hubspot' },
  {
    hubspot: P.leadStatus,
    salesforce: L.status,
    rule: 'prefer_salesforce_unless_blank',
    valueMap: {
      NEW: 'Open - Not Contacted',
      OPEN: 'Open - Not Contacted',
      IN_PROGRESS: 'Working - Contacted',
      ATTEMPTED_TO_CONTACT: 'Working - Contacted',
      CONNECTED: 'Working - Contacted',
      UNQUALIFIED: 'Closed - Not Converted',
    },
  },
];

/** The connector's usual inclusion list: everyone past subscriber. */
export function includeLeadsAndLater(properties: Record<string, string | null>): boolean {
  const stage = properties[P.lifecycleStage];
  return stage !== null && stage !== undefined && stage !== 'subscriber';
}
