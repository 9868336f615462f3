/**
 * Which properties a contract may name: the ones a machine can actually read. A definition over any
 * other name is not observable. Known = the bridge's CRM vocabulary (crm-fields.ts), a few more
 * standard HubSpot and Salesforce fields, the activity properties, the field mappings and the custom
 * properties the contract declares.
 */
import { activityProperties } from './activity-types';
import { HUBSPOT_PROPERTIES, SALESFORCE_LEAD_FIELDS, SALESFORCE_TASK_FIELDS } from '../crm';
import type { Contract } from './schema';

/** Standard HubSpot contact properties beyond those the bridge itself reads. */
const STANDARD_HUBSPOT_CONTACT_PROPERTIES = [
  'annualrevenue',
  'state',
  'city',
  'phone',
  'website',
  'createdate',
  'hs_persona',
  'hs_buying_role',
  'associatedcompanyid',
  'hs_latest_source',
  'hs_analytics_source_data_1',
  'num_associated_deals',
  'hubspot_owner_assigneddate',
  'notes_last_contacted',
  'num_contacted_notes',
];

/** Standard Salesforce Lead fields beyond those the bridge itself reads. */
const STANDARD_SALESFORCE_LEAD_FIELDS = ['Rating', 'AnnualRevenue', 'State', 'City', 'Phone', 'Website', 'ConvertedDate', 'ConvertedAccountId'];

export interface KnownProperties {
  hubspot: ReadonlySet<string>;
  salesforce: ReadonlySet<string>;
}

export function knownProperties(contract: Contract): KnownProperties {
  const declared = (system: 'hubspot' | 'salesforce') => contract.crm.properties.filter((p) => p.system === system).map((p) => p.name);
  return {
    hubspot: new Set([
      ...Object.values(HUBSPOT_PROPERTIES),
      ...STANDARD_HUBSPOT_CONTACT_PROPERTIES,
      ...activityProperties(),
      ...contract.fieldMappings.map((m) => m.hubspot),
      ...declared('hubspot'),
    ]),
    salesforce: new Set([
      ...Object.values(SALESFORCE_LEAD_FIELDS),
      ...STANDARD_SALESFORCE_LEAD_FIELDS,
      ...Object.values(SALESFORCE_TASK_FIELDS).map((f) => `Task.${f}`),
      ...contract.fieldMappings.map((m) => m.salesforce),
      ...declared('salesforce'),
    ]),
  };
}

/** Bridge stamps are HubSpot properties the bridge writes itself (and mirrors in Salesforce). */
export function bridgeStamps(): ReadonlySet<string> {
  return new Set(Object.values(HUBSPOT_PROPERTIES).filter((p) => p.startsWith('handoff_')));
}
