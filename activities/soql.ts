/**
 * The one way a value enters SOQL. Strings are quoted with Salesforce's backslash escapes, instants
 * become unquoted UTC date-time literals (whole seconds: SOQL's documented form, and Salesforce
 * ignores milliseconds when filtering anyway), and field names must be plain API names.
 */
export type SoqlValue = string | number | boolean | null | Date;

const ESCAPES: Record<string, string> = { '\\': '\\\\', "'": "\\'", '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

export function soqlLiteral(value: SoqlValue): string {
  if (value === null) return 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError('SOQL numbers must be finite');
    return String(value);
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new RangeError('SOQL date-times must be valid dates');
    return `${value.toISOString().slice(0, 19)}Z`;
  }
  return `'${value.replace(/[\\'"\n\r\t\b\f]/g, (char) => ESCAPES[char] ?? char)}'`;
}

export function soqlList(values: SoqlValue[]): string {
  if (values.length === 0) throw new RangeError('SOQL IN lists cannot be empty');
  return `(${values.map(soqlLiteral).join(', ')})`;
}

const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)?$/;

/** Field names cannot be escaped, only checked. */
export function soqlFields(fields: string[]): string {
  for (const field of fields) {
    if (!FIELD_NAME.test(field)) throw new RangeError(`not a Salesforce field name: ${JSON.stringify(field).slice(0, 60)}`);
  }
  return fields.join(', ');
}
