/** Records as Salesforce sends them: `attributes` first, then the fields asked for. */
import type { SalesforceValue } from './field-values';
import { fieldOf, SOBJECT_FIELDS, type SObjectType } from './schema';
import type { SalesforceStoredRecord } from './store';

export function recordUrl(version: string, type: SObjectType, id: string): string {
  return `/services/data/v${version}/sobjects/${type}/${id}`;
}

export function recordToWire(version: string, type: SObjectType, id: string, values: Record<string, SalesforceValue>): Record<string, unknown> {
  return { attributes: { type, url: recordUrl(version, type, id) }, ...values };
}

/** The named fields (unknown names are refused by the caller), or every field when none are named. */
export function projectRecord(record: SalesforceStoredRecord, fields: string[] | undefined): Record<string, SalesforceValue> {
  const names = fields && fields.length > 0 ? fields.map((f) => fieldOf(record.type, f)?.name ?? f) : SOBJECT_FIELDS[record.type].map((f) => f.name);
  return Object.fromEntries(names.map((name) => [name, record.fields[name] ?? null]));
}

export function fieldList(value: unknown): string[] | undefined {
  if (typeof value !== 'string' || value.length === 0) return undefined;
  return value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}
