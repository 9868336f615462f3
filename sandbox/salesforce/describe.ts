/**
 * `GET sobjects/{type}/describe`: the object's fields as Salesforce describes them (name, label, type,
 * length, picklist values, restricted picklists, references, permissions), built from the sandbox
 * schema, so a client can check its configuration against the org before writing.
 */
import { KEY_PREFIXES, SOBJECT_FIELDS, type FieldDefinition, type SObjectType } from './schema';

const TEXT_TYPES: ReadonlySet<FieldDefinition['type']> = new Set(['string', 'email', 'picklist', 'id', 'reference']);
/** Salesforce's own default text length where the schema names none. */
const DEFAULT_TEXT_LENGTH = 255;

function describeField(field: FieldDefinition): Record<string, unknown> {
  const text = TEXT_TYPES.has(field.type);
  return {
    name: field.name,
    label: field.label ?? field.name.replace(/__c$/, '').replace(/_/g, ' '),
    type: field.type,
    length: text ? (field.length ?? (field.type === 'id' || field.type === 'reference' ? 18 : DEFAULT_TEXT_LENGTH)) : 0,
    createable: field.createable,
    updateable: field.updateable,
    nillable: !field.required && field.type !== 'boolean',
    custom: field.name.endsWith('__c'),
    externalId: field.externalId === true,
    unique: field.unique === true,
    restrictedPicklist: field.restricted === true,
    referenceTo: field.references ?? [],
    defaultValue: field.defaultValue ?? null,
    picklistValues: (field.picklist ?? []).map((value) => ({ value, label: value, active: true, defaultValue: field.defaultValue === value, validFor: null })),
  };
}

export function describeSObject(type: SObjectType, version: string): Record<string, unknown> {
  return {
    name: type,
    label: type,
    keyPrefix: KEY_PREFIXES[type],
    custom: false,
    createable: true,
    updateable: true,
    queryable: true,
    fields: SOBJECT_FIELDS[type].map(describeField),
    urls: { describe: `/services/data/${version}/sobjects/${type}/describe`, sobject: `/services/data/${version}/sobjects/${type}` },
  };
}
