/**
 * The CRM search endpoint's semantics: filter groups ORed, filters ANDed, HubSpot's operators, one
 * sort, `after` paging of at most 200 a page and never past the 10,000th result.
 */
import { z } from 'zod';
import type { HubSpotPropertyDefinition } from './properties';
import type { StoredContact } from './contact-store';
import { firstInOrder } from './first-in-order';
import { idRange, idSpan } from './search-id-range';

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

/** `contacts` in ascending id order (HubSpotStore.contactsInIdOrder, through the search lag). */
export function searchContacts(
  contacts: readonly StoredContact[],
  request: SearchRequest,
  definitions: Map<string, HubSpotPropertyDefinition>,
): { matches: StoredContact[]; total: number; nextAfter?: string } {
  checkLimits(request);
  const offset = request.after === undefined ? 0 : Number(request.after);
  if (!Number.isInteger(offset) || offset < 0) throw new SearchRequestError('after must be a non-negative integer offset');
  if (offset + request.limit > SEARCH_LIMITS.maxResults) {
    throw new SearchRequestError(`Paging beyond ${SEARCH_LIMITS.maxResults} results is not supported`);
  }
  const range = idRange(request);
  if (range) {
    const { start, end } = idSpan(contacts, range);
    return pageOf(contacts.slice(start, Math.min(end, start + offset + request.limit)), offset, request.limit, end - start);
  }
  const typeOf = (name: string) => definitions.get(name)?.type ?? 'string';
  // Each filter's value is parsed once per search, not once per contact.
  const groups = request.filterGroups.map((group) => group.filters.map((f) => compileFilter(f, typeOf(f.propertyName))));
  const matches: StoredContact[] = [];
  for (const contact of contacts) {
    if ((groups.length === 0 || groups.some((group) => group.every((test) => test(contact)))) && matchesQuery(contact, request.query)) matches.push(contact);
  }
  return pageOf(firstInOrder(matches, comparatorFor(request.sorts, typeOf), offset + request.limit), offset, request.limit, matches.length);
}

/** A page of matches already in order (the first `offset + limit` at least), `total` of them in all. */
function pageOf(ordered: readonly StoredContact[], offset: number, limit: number, total = ordered.length): { matches: StoredContact[]; total: number; nextAfter?: string } {
  const page = ordered.slice(offset, offset + limit);
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

/** `compare` with one given value, parsed once: filters test every contact of the portal. */
function comparerTo(given: string | number | boolean, type: PropertyType): (stored: string) => number {
  if (type === 'number') {
    const n = Number(given);
    return (stored) => Number(stored) - n;
  }
  if (type === 'datetime') {
    const ms = toMillis(given);
    return (stored) => Date.parse(stored) - ms;
  }
  const text = String(given).toLowerCase();
  return (stored) => stored.toLowerCase().localeCompare(text);
}

function toMillis(value: string | number | boolean): number {
  if (typeof value === 'number') return value;
  const text = String(value);
  return /^\d+$/.test(text) ? Number(text) : Date.parse(text);
}

function compileFilter(filter: Filter, type: PropertyType): (contact: StoredContact) => boolean {
  const name = filter.propertyName;
  const value = filter.value ?? '';
  const to = comparerTo(value, type);
  const any = (filter.values ?? []).map((v) => comparerTo(v, type));
  const inValues = (stored: string) => any.some((c) => c(stored) === 0);
  const token = tokenMatcher(String(value));
  switch (filter.operator) {
    case 'HAS_PROPERTY':
      return (c) => c.values.get(name) !== undefined;
    case 'NOT_HAS_PROPERTY':
      return (c) => c.values.get(name) === undefined;
    case 'NEQ':
      return (c) => present(c, name, (stored) => to(stored) !== 0, true);
    case 'NOT_IN':
      return (c) => present(c, name, (stored) => !inValues(stored), true);
    case 'NOT_CONTAINS_TOKEN':
      return (c) => present(c, name, (stored) => !token(stored), true);
    case 'EQ':
      return (c) => present(c, name, (stored) => to(stored) === 0, false);
    case 'LT':
      return (c) => present(c, name, (stored) => to(stored) < 0, false);
    case 'LTE':
      return (c) => present(c, name, (stored) => to(stored) <= 0, false);
    case 'GT':
      return (c) => present(c, name, (stored) => to(stored) > 0, false);
    case 'GTE':
      return (c) => present(c, name, (stored) => to(stored) >= 0, false);
    case 'BETWEEN': {
      const high = comparerTo(filter.highValue ?? '', type);
      return (c) => present(c, name, (stored) => to(stored) >= 0 && high(stored) <= 0, false);
    }
    case 'IN':
      return (c) => present(c, name, inValues, false);
    case 'CONTAINS_TOKEN':
      return (c) => present(c, name, token, false);
  }
}

/** A filter's test on the stored value; a contact without the property matches only negative filters. */
function present(contact: StoredContact, name: string, test: (stored: string) => boolean, whenAbsent: boolean): boolean {
  const stored = contact.values.get(name);
  return stored === undefined ? whenAbsent : test(stored);
}

/** A token matches a whole word of the value; `*` is a wildcard, as in HubSpot. */
function tokenMatcher(token: string): (stored: string) => boolean {
  const pattern = new RegExp(`^${token.toLowerCase().split('*').map(escapeRegExp).join('.*')}$`);
  return (stored) =>
    stored
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
