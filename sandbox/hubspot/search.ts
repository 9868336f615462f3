/**
 * The CRM search endpoint's semantics: filter groups ORed, filters ANDed, HubSpot's operators, one
 * sort, `after` paging of at most 200 a page and never past the 10,000th result.
 */
import { z } from 'zod';
import type { HubSpotPropertyDefinition } from './properties';
import type { StoredContact } from './contact-store';

const filterSchema = z.object({
  propertyName: z.string(),
  operator: z.enum(['EQ', 'NEQ', 'LT', 'LTE', 'GT', 'GTE', 'BETWEEN', 'IN', 'NOT_IN', 'HAS_PROPERTY', 'NOT_HAS_PROPERTY', 'CONTAINS_TOKEN', 'NOT_CONTAINS_TOKEN']),
  value: z.union([z.string(), z.number(), z.boolean()]).optional(),
  highValue: z.union([z.string(), z.number()]).optional(),
  values: z.array(z.union([z.string(), z.number()])).optional(),
});
type Filter = z.infer<typeof filterSchema>;

const sortSchema = z.union([z.string(), z.object({ propertyName: z.string(), direction: z.enum(['ASCENDING', 'DESCENDING']).default('ASCENDING') })]);

export const searchRequestSchema = z.object({
  filterGroups: z.array(z.object({ filters: z.array(filterSchema) })).default([]),
  sorts: z.array(sortSchema).default([]),
  query: z.string().optional(),
  properties: z.array(z.string()).optional(),
  limit: z.number().int().min(0).default(10),
  after: z.union([z.string(), z.number()]).optional(),
});
export type SearchRequest = z.infer<typeof searchRequestSchema>;

/** HubSpot's search limits: 5 filter groups, 6 filters in a group, 18 filters in all. */
export const SEARCH_LIMITS = { maxPageSize: 200, maxResults: 10_000, maxGroups: 5, maxFiltersPerGroup: 6, maxFilters: 18 } as const;

export class SearchRequestError extends Error {}

const DEFAULT_QUERY_PROPERTIES = ['email', 'firstname', 'lastname', 'phone', 'company'];

export function searchContacts(
  contacts: Iterable<StoredContact>,
  request: SearchRequest,
  definitions: Map<string, HubSpotPropertyDefinition>,
): { matches: StoredContact[]; total: number; nextAfter?: string } {
  checkLimits(request);
  const offset = request.after === undefined ? 0 : Number(request.after);
  if (!Number.isInteger(offset) || offset < 0) throw new SearchRequestError('after must be a non-negative integer offset');
  if (offset + request.limit > SEARCH_LIMITS.maxResults) {
    throw new SearchRequestError(`Paging beyond ${SEARCH_LIMITS.maxResults} results is not supported`);
  }
  const typeOf = (name: string) => definitions.get(name)?.type ?? 'string';
  const matches = [...contacts].filter(
    (contact) =>
      (request.filterGroups.length === 0 || request.filterGroups.some((group) => group.filters.every((f) => matchesFilter(contact, f, typeOf(f.propertyName))))) &&
      matchesQuery(contact, request.query),
  );
  matches.sort(comparatorFor(request.sorts, typeOf));
  const total = matches.length;
  const page = matches.slice(offset, offset + request.limit);
  const nextOffset = offset + page.length;
  const hasMore = nextOffset < Math.min(total, SEARCH_LIMITS.maxResults);
  return { matches: page, total, ...(hasMore ? { nextAfter: String(nextOffset) } : {}) };
}

function checkLimits(request: SearchRequest): void {
  if (request.limit > SEARCH_LIMITS.maxPageSize) throw new SearchRequestError(`limit must be at most ${SEARCH_LIMITS.maxPageSize}`);
  if (request.filterGroups.length > SEARCH_LIMITS.maxGroups) throw new SearchRequestError(`at most ${SEARCH_LIMITS.maxGroups} filterGroups`);
  const counts = request.filterGroups.map((g) => g.filters.length);
  if (counts.some((n) => n > SEARCH_LIMITS.maxFiltersPerGroup)) throw new SearchRequestError(`at most ${SEARCH_LIMITS.maxFiltersPerGroup} filters per group`);
  if (counts.reduce((a, b) => a + b, 0) > SEARCH_LIMITS.maxFilters) throw new SearchRequestError(`at most ${SEARCH_LIMITS.maxFilters} filters in all`);
  if (request.sorts.length > 1) throw new SearchRequestError('at most one sort');
}

type PropertyType = HubSpotPropertyDefinition['type'];

/** Numbers and datetimes compare numerically (datetimes as epoch ms); strings case-insensitively. */
function compare(stored: string, given: string | number | boolean, type: PropertyType): number {
  if (type === 'number') return Number(stored) - Number(given);
  if (type === 'datetime') return Date.parse(stored) - toMillis(given);
  return stored.toLowerCase().localeCompare(String(given).toLowerCase());
}

function toMillis(value: string | number | boolean): number {
  if (typeof value === 'number') return value;
  const text = String(value);
  return /^\d+$/.test(text) ? Number(text) : Date.parse(text);
}

function matchesFilter(contact: StoredContact, filter: Filter, type: PropertyType): boolean {
  const stored = contact.values.get(filter.propertyName);
  const value = filter.value ?? '';
  switch (filter.operator) {
    case 'HAS_PROPERTY':
      return stored !== undefined;
    case 'NOT_HAS_PROPERTY':
      return stored === undefined;
    case 'NEQ':
      return stored === undefined || compare(stored, value, type) !== 0;
    case 'NOT_IN':
      return stored === undefined || !(filter.values ?? []).some((v) => compare(stored, v, type) === 0);
    case 'NOT_CONTAINS_TOKEN':
      return stored === undefined || !containsToken(stored, String(value));
    default:
      break;
  }
  if (stored === undefined) return false;
  switch (filter.operator) {
    case 'EQ':
      return compare(stored, value, type) === 0;
    case 'LT':
      return compare(stored, value, type) < 0;
    case 'LTE':
      return compare(stored, value, type) <= 0;
    case 'GT':
      return compare(stored, value, type) > 0;
    case 'GTE':
      return compare(stored, value, type) >= 0;
    case 'BETWEEN':
      return compare(stored, value, type) >= 0 && compare(stored, filter.highValue ?? '', type) <= 0;
    case 'IN':
      return (filter.values ?? []).some((v) => compare(stored, v, type) === 0);
    case 'CONTAINS_TOKEN':
      return containsToken(stored, String(value));
  }
}

/** A token matches a whole word of the value; `*` is a wildcard, as in HubSpot. */
function containsToken(stored: string, token: string): boolean {
  const pattern = new RegExp(`^${token.toLowerCase().split('*').map(escapeRegExp).join('.*')}$`);
  return stored
    .toLowerCase()
    .split(/[\s@.,;:_-]+/)
    .concat(stored.toLowerCase())
    .some((word) => pattern.test(word));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function matchesQuery(contact: StoredContact, query: string | undefined): boolean {
  if (!query) return true;
  const needle = query.toLowerCase();
  return DEFAULT_QUERY_PROPERTIES.some((name) => contact.values.get(name)?.toLowerCase().includes(needle));
}

function comparatorFor(sorts: SearchRequest['sorts'], typeOf: (name: string) => PropertyType): (a: StoredContact, b: StoredContact) => number {
  const byId = (a: StoredContact, b: StoredContact): number => Number(a.id) - Number(b.id);
  const sort = sorts[0];
  if (sort === undefined) return byId;
  const { propertyName, descending } =
    typeof sort === 'string'
      ? { propertyName: sort.replace(/^-/, ''), descending: sort.startsWith('-') }
      : { propertyName: sort.propertyName, descending: sort.direction === 'DESCENDING' };
  const type = typeOf(propertyName);
  return (a, b) => {
    const left = a.values.get(propertyName);
    const right = b.values.get(propertyName);
    // Records without the property sort last whatever the direction.
    if (left === undefined || right === undefined) return left === right ? byId(a, b) : left === undefined ? 1 : -1;
    const order = compare(left, right, type) * (descending ? -1 : 1);
    return order !== 0 ? order : byId(a, b);
  };
}
