/**
 * Runs a parsed SOQL query over the store: checks the object, the fields and the type of every
 * literal against its field (a quoted date-time is refused, as Salesforce does), then filters,
 * sorts (Salesforce's NULLS FIRST default), offsets and limits.
 */
import { parseInstant } from '../datetime';
import { SalesforceError } from '../errors';
import type { SalesforceValue } from '../field-values';
import { sameRecordId } from '../ids';
import { fieldOf, sobjectType, type FieldDefinition, type SObjectType } from '../schema';
import type { SalesforceStoredRecord } from '../store';
import type { Condition, Literal, OrderItem, SoqlQuery } from './ast';

export interface QueryRows {
  type: SObjectType;
  rows: Array<{ id: string; values: Record<string, SalesforceValue> }>;
}

const LITERAL_KINDS: Record<FieldDefinition['type'], Literal['kind']> = {
  id: 'string',
  string: 'string',
  email: 'string',
  picklist: 'string',
  reference: 'string',
  boolean: 'boolean',
  datetime: 'datetime',
  date: 'date',
  int: 'number',
  double: 'number',
};

const TYPE_NAMES: Record<Literal['kind'], string> = { string: 'string', boolean: 'boolean', datetime: 'dateTime', date: 'date', number: 'number', null: 'null' };

export function evaluateQuery(query: SoqlQuery, records: (type: SObjectType) => SalesforceStoredRecord[]): QueryRows {
  const type = sobjectType(query.from);
  if (!type) throw new SalesforceError('INVALID_TYPE', `sObject type '${query.from}' is not supported.`);
  const resolve = (name: string): FieldDefinition => {
    const field = fieldOf(type, name);
    if (!field) throw new SalesforceError('INVALID_FIELD', `No such column '${name}' on entity '${type}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name.`);
    return field;
  };
  const selected = query.fields.map(resolve);
  const where = query.where ? compile(query.where, resolve) : () => true;
  const order = query.orderBy.map((item) => ({ ...item, field: resolve(item.field) }));
  const matches = records(type).filter((r) => where(r.fields)).sort(comparator(order));
  const offset = query.offset ?? 0;
  const limited = matches.slice(offset, query.limit === undefined ? undefined : offset + query.limit);
  return {
    type,
    rows: limited.map((r) => ({ id: r.id, values: Object.fromEntries(selected.map((f) => [f.name, r.fields[f.name] ?? null])) })),
  };
}

type Predicate = (fields: Record<string, SalesforceValue>) => boolean;

function compile(condition: Condition, resolve: (name: string) => FieldDefinition): Predicate {
  switch (condition.kind) {
    case 'and': {
      const items = condition.items.map((c) => compile(c, resolve));
      return (f) => items.every((p) => p(f));
    }
    case 'or': {
      const items = condition.items.map((c) => compile(c, resolve));
      return (f) => items.some((p) => p(f));
    }
    case 'not': {
      const inner = compile(condition.item, resolve);
      return (f) => !inner(f);
    }
    case 'compare': {
      const field = resolve(condition.field);
      checkLiteral(field, condition.value);
      const { op, value } = condition;
      return (f) => {
        const stored = f[field.name] ?? null;
        if (value.kind === 'null') return op === '=' ? stored === null : op === '!=' ? stored !== null : false;
        if (stored === null) return op === '!=';
        const order = compareValues(field, stored, value);
        switch (op) {
          case '=':
            return order === 0;
          case '!=':
            return order !== 0;
          case '<':
            return order < 0;
          case '>':
            return order > 0;
          case '<=':
            return order <= 0;
          case '>=':
            return order >= 0;
        }
      };
    }
    case 'in': {
      const field = resolve(condition.field);
      for (const v of condition.values) checkLiteral(field, v);
      return (f) => {
        const stored = f[field.name] ?? null;
        const found = condition.values.some((v) => (v.kind === 'null' ? stored === null : stored !== null && compareValues(field, stored, v) === 0));
        return condition.negated ? !found : found;
      };
    }
    case 'like': {
      const field = resolve(condition.field);
      const pattern = likeToRegExp(condition.pattern);
      return (f) => {
        const stored = f[field.name];
        return typeof stored === 'string' && pattern.test(stored);
      };
    }
  }
}

/** A 15- or 18-character record id: Salesforce refuses a filter on an id field with anything else. */
const RECORD_ID = /^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/;

function checkLiteral(field: FieldDefinition, literal: Literal): void {
  const expected = LITERAL_KINDS[field.type];
  if ((field.type === 'id' || field.type === 'reference') && literal.kind === 'string' && !RECORD_ID.test(literal.value)) {
    throw new SalesforceError('INVALID_QUERY_FILTER_OPERATOR', `invalid ID field: ${literal.value}`);
  }
  if (literal.kind === 'null' || literal.kind === expected) return;
  throw new SalesforceError(
    'INVALID_FIELD',
    `value of filter criterion for field '${field.name}' must be of type ${TYPE_NAMES[expected]}${expected === 'string' ? '' : ' and should not be enclosed in quotes'}`,
  );
}

function compareValues(field: FieldDefinition, stored: Exclude<SalesforceValue, null>, literal: Literal): number {
  switch (literal.kind) {
    case 'datetime':
      // Salesforce ignores milliseconds when filtering on date-times: compare whole seconds.
      return Math.floor((parseInstant(String(stored)) ?? 0) / 1000) - Math.floor(literal.millis / 1000);
    case 'number':
      return Number(stored) - literal.value;
    case 'boolean':
      return stored === literal.value ? 0 : 1;
    case 'date':
      return String(stored).localeCompare(literal.text);
    case 'string':
      if (field.type === 'id' || field.type === 'reference') {
        return sameRecordId(String(stored), literal.value) ? 0 : String(stored) < literal.value ? -1 : 1;
      }
      return String(stored).toLowerCase().localeCompare(literal.value.toLowerCase());
    case 'null':
      return 1;
  }
}

/** `%` is any run, `_` one character, `\%`/`\_` literal; case-insensitive like Salesforce. */
function likeToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern.charAt(i);
    if (char === '\\' && (pattern.charAt(i + 1) === '%' || pattern.charAt(i + 1) === '_')) {
      source += pattern.charAt(++i);
    } else if (char === '%') source += '.*';
    else if (char === '_') source += '.';
    else source += char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'is');
}

function comparator(order: Array<Omit<OrderItem, 'field'> & { field: FieldDefinition }>): (a: SalesforceStoredRecord, b: SalesforceStoredRecord) => number {
  return (a, b) => {
    for (const item of order) {
      const left = a.fields[item.field.name] ?? null;
      const right = b.fields[item.field.name] ?? null;
      if (left === right) continue;
      if (left === null || right === null) return (left === null) === item.nullsLast ? 1 : -1;
      const leftKey = sortKey(item.field, left);
      const rightKey = sortKey(item.field, right);
      if (leftKey === rightKey) continue;
      const result = leftKey < rightKey ? -1 : 1;
      return item.descending ? -result : result;
    }
    return 0;
  };
}

function sortKey(field: FieldDefinition, value: Exclude<SalesforceValue, null>): number | string {
  if (field.type === 'datetime') return parseInstant(String(value)) ?? 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return field.type === 'id' || field.type === 'reference' ? value : value.toLowerCase();
}
