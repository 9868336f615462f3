/**
 * How the emulated connector carries one mapped value across: picklist translation through the
 * mapping's valueMap (an unmapped value is a sync error, not a write), owners matched by email (the
 * real connector's rule), Salesforce types from HubSpot's strings.
 */
import { HUBSPOT_PROPERTIES, SALESFORCE_LEAD_FIELDS } from '../mappings/crm';
import type { FieldMapping } from '../mappings/contract';
import type { HubSpotStore } from './hubspot/contact-store';
import type { SalesforceValue } from './salesforce/field-values';
import { fieldOf } from './salesforce/schema';
import type { SalesforceStore } from './salesforce/store';

export type Translation<T> = { ok: true; value: T } | { ok: false; code: 'PICKLIST_UNMAPPED' | 'OWNER_UNMATCHED'; detail: string };

const isOwnerMapping = (m: FieldMapping): boolean => m.hubspot === HUBSPOT_PROPERTIES.ownerId && m.salesforce === SALESFORCE_LEAD_FIELDS.ownerId;

export function salesforceText(value: SalesforceValue | undefined): string | null {
  return value === null || value === undefined || value === '' ? null : String(value);
}

export function toSalesforceValue(mapping: FieldMapping, hubspotValue: string | null, stores: { hubspot: HubSpotStore; salesforce: SalesforceStore }): Translation<SalesforceValue> {
  if (hubspotValue === null) return { ok: true, value: null };
  if (isOwnerMapping(mapping)) {
    const email = stores.hubspot.owners.get(hubspotValue)?.email;
    const user = email ? stores.salesforce.list('User').find((u) => u.fields.Email === email) : undefined;
    return user ? { ok: true, value: user.id } : { ok: false, code: 'OWNER_UNMATCHED', detail: `no Salesforce user for HubSpot owner ${hubspotValue}` };
  }
  if (mapping.valueMap) {
    const mapped = mapping.valueMap[hubspotValue];
    return mapped === undefined ? { ok: false, code: 'PICKLIST_UNMAPPED', detail: `${mapping.hubspot} value has no Salesforce mapping` } : { ok: true, value: mapped };
  }
  const type = fieldOf('Lead', mapping.salesforce)?.type;
  if (type === 'boolean') return { ok: true, value: hubspotValue === 'true' };
  if (type === 'int' || type === 'double') return { ok: true, value: Number(hubspotValue) };
  return { ok: true, value: hubspotValue };
}

export function toHubSpotValue(mapping: FieldMapping, salesforceValue: SalesforceValue | undefined, stores: { hubspot: HubSpotStore; salesforce: SalesforceStore }): Translation<string | null> {
  const text = salesforceText(salesforceValue);
  if (text === null) return { ok: true, value: null };
  if (isOwnerMapping(mapping)) {
    const email = stores.salesforce.find(text)?.fields.Email;
    const owner = [...stores.hubspot.owners.values()].find((o) => o.email === email);
    return owner ? { ok: true, value: owner.id } : { ok: false, code: 'OWNER_UNMATCHED', detail: `no HubSpot owner for Salesforce user ${text}` };
  }
  if (mapping.valueMap) {
    const entry = Object.entries(mapping.valueMap).find(([, sf]) => sf === text);
    return entry ? { ok: true, value: entry[0] } : { ok: false, code: 'PICKLIST_UNMAPPED', detail: `${mapping.salesforce} value has no HubSpot mapping` };
  }
  return { ok: true, value: text };
}
