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

/**
 * IN lists of at most `maxChars` characters each (and at least one value): the REST query travels in
 * the URL, which Salesforce caps at about 16 KB, so a long list is split over several queries.
 */
export function soqlListChunks(values: SoqlValue[], maxChars: number): string[] {
  const chunks: string[] = [];
  let current: string[] = [];
  let length = 0;
  for (const value of values) {
    const literal = soqlLiteral(value);
    if (current.length > 0 && length + literal.length + 2 > maxChars) {
      chunks.push(`(${current.join(', ')})`);
      current = [];
      length = 0;
    }
    current.push(literal);
    length += literal.length + 2;
  }
  if (current.length > 0) chunks.push(`(${current.join(', ')})`);
  return chunks;
}

/** Field names for a SELECT, each once whatever its case (Salesforce refuses a duplicate). */
export function soqlSelect(fields: string[]): string {
  const seen = new Set<string>();
  return soqlFields(fields.filter((field) => !seen.has(field.toLowerCase()) && seen.add(field.toLowerCase())));
}
