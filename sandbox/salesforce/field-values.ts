/**
 * Checks one incoming field value against its definition and converts it to the stored form, with
 * the error codes Salesforce uses (picklists, emails, types, references).
 */
import { parseInstant, isDateOnly, toSalesforceDateTime } from './datetime';
import { SalesforceError } from './errors';
import type { FieldDefinition } from './schema';

export type SalesforceValue = string | number | boolean | null;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function typeError(field: FieldDefinition, raw: unknown): SalesforceError {
  return new SalesforceError('JSON_PARSER_ERROR', `Cannot deserialize instance of ${field.type} from ${typeof raw} value for field ${field.name}`, [field.name]);
}

export function normalizeFieldValue(field: FieldDefinition, raw: unknown, referenceExists: (id: string) => string | undefined): SalesforceValue {
  if (raw === null || raw === undefined || raw === '') {
    if (field.restricted) {
      throw new SalesforceError('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `${field.name}: bad value for restricted picklist field: ${String(raw)}`, [field.name]);
    }
    if (field.required) throw new SalesforceError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${field.name}]`, [field.name]);
    return null;
  }
  switch (field.type) {
    case 'boolean':
      if (typeof raw !== 'boolean') throw typeError(field, raw);
      return raw;
    case 'int':
    case 'double': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : NaN;
      if (!Number.isFinite(n) || (field.type === 'int' && !Number.isInteger(n))) throw typeError(field, raw);
      return n;
    }
    case 'datetime': {
      const millis = typeof raw === 'string' ? parseInstant(raw) : undefined;
      if (millis === undefined) throw typeError(field, raw);
      return toSalesforceDateTime(millis);
    }
    case 'date':
      if (typeof raw !== 'string' || !isDateOnly(raw)) throw typeError(field, raw);
      return raw;
    default:
      break;
  }
  if (typeof raw !== 'string') throw typeError(field, raw);
  if (field.length !== undefined && raw.length > field.length) {
    throw new SalesforceError('STRING_TOO_LONG', `${field.label ?? field.name}: data value too large: ${raw} (max length=${field.length})`, [field.name]);
  }
  if (field.type === 'email' && !EMAIL.test(raw)) throw new SalesforceError('INVALID_EMAIL_ADDRESS', `${field.name}: invalid email address: ${raw}`, [field.name]);
  if (field.type === 'picklist' && field.restricted && !field.picklist?.includes(raw)) {
    throw new SalesforceError('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `${field.name}: bad value for restricted picklist field: ${raw}`, [field.name]);
  }
  if (field.type === 'reference') {
    const resolved = referenceExists(raw);
    if (resolved === undefined) throw new SalesforceError('INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id`, [field.name]);
    return resolved;
  }
  return raw;
}
