/**
 * The search a keyset paging makes (`hs_object_id GT last`, sorted by hs_object_id): answered from
 * the contacts in id order by binary search, as HubSpot answers it from its index, instead of testing
 * and sorting every contact of the portal for each page. Only a request whose filters are all id
 * bounds in one group (or none), with no text query and sorted by id ascending (or not at all),
 * takes this path; its matches, order and total are exactly those of the general one.
 */
import type { StoredContact } from './contact-store';
import type { SearchRequest } from './search';

const ID = 'hs_object_id';

interface Bound {
  at: number;
  inclusive: boolean;
}

/** The id range a request selects, or undefined when it is not an id range alone. */
export function idRange(request: SearchRequest): { low?: Bound; high?: Bound } | undefined {
  if (request.query || request.filterGroups.length > 1) return undefined;
  const sort = request.sorts[0];
  const byIdAscending = sort === undefined || sort === ID || (typeof sort === 'object' && sort.propertyName === ID && sort.direction === 'ASCENDING');
  if (!byIdAscending) return undefined;
  let low: Bound | undefined;
  let high: Bound | undefined;
  const raise = (b: Bound) => (low = !low || b.at > low.at || (b.at === low.at && !b.inclusive) ? b : low);
  const cap = (b: Bound) => (high = !high || b.at < high.at || (b.at === high.at && !b.inclusive) ? b : high);
  for (const filter of request.filterGroups[0]?.filters ?? []) {
    const value = Number(filter.value ?? '');
    if (filter.propertyName !== ID || !Number.isFinite(value)) return undefined;
    switch (filter.operator) {
      case 'GT':
      case 'GTE':
        raise({ at: value, inclusive: filter.operator === 'GTE' });
        break;
      case 'LT':
      case 'LTE':
        cap({ at: value, inclusive: filter.operator === 'LTE' });
        break;
      case 'EQ':
        raise({ at: value, inclusive: true });
        cap({ at: value, inclusive: true });
        break;
      case 'BETWEEN': {
        const top = Number(filter.highValue ?? '');
        if (!Number.isFinite(top)) return undefined;
        raise({ at: value, inclusive: true });
        cap({ at: top, inclusive: true });
        break;
      }
      default:
        return undefined;
    }
  }
  return { ...(low ? { low } : {}), ...(high ? { high } : {}) };
}

/** Where the range starts and ends in the contacts (ascending id order): `[start, end)`. */
export function idSpan(contacts: readonly StoredContact[], range: { low?: Bound; high?: Bound }): { start: number; end: number } {
  const { low, high } = range;
  const start = low ? firstIndex(contacts, (id) => (low.inclusive ? id >= low.at : id > low.at)) : 0;
  const end = high ? firstIndex(contacts, (id) => (high.inclusive ? id > high.at : id >= high.at)) : contacts.length;
  return { start, end: Math.max(start, end) };
}

/** The first index whose id passes `past` (ids ascend, so `past` turns true once and stays true). */
function firstIndex(contacts: readonly StoredContact[], past: (id: number) => boolean): number {
  let [lo, hi] = [0, contacts.length];
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (past(Number(contacts[mid]?.id))) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
