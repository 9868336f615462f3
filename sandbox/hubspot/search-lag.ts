/**
 * HubSpot search is eventually consistent: a write shows in search results seconds after it is made
 * (reads by id see it at once). The sandbox models that by searching the contacts as they were
 * `lagMs` ago, rebuilt from each contact's property history; contacts untouched since then are
 * searched as they are, so the cost is only for the recently written ones.
 */
import type { StoredContact } from './contact-store';

/** HubSpot's usual indexing delay: a few seconds. Tests that must see a write at once set 0. */
export const DEFAULT_SEARCH_LAG_MS = 3_000;

function asOf(contact: StoredContact, at: number): StoredContact | undefined {
  if (contact.createdAt > at) return undefined;
  const values = new Map<string, string>();
  for (const [name, versions] of contact.history) {
    // Versions are newest first: the first one written by `at` is the value search has indexed.
    const indexed = versions.find((v) => Date.parse(v.timestamp) <= at);
    if (indexed && indexed.value !== '') values.set(name, indexed.value);
  }
  for (const computed of ['lastmodifieddate', 'hs_lastmodifieddate']) {
    const value = contact.values.get(computed);
    if (value !== undefined && Date.parse(value) <= at) values.set(computed, value);
  }
  return { ...contact, values };
}

/** The contacts as search has indexed them, in the order given (search expects id order). */
export function searchableContacts(contacts: readonly StoredContact[], now: number, lagMs: number): readonly StoredContact[] {
  // Without a lag search sees the contacts themselves, as they are: no copy of the portal per page.
  return lagMs <= 0 ? contacts : [...lagged(contacts, now - lagMs)];
}

function* lagged(contacts: Iterable<StoredContact>, at: number): Generator<StoredContact> {
  for (const contact of contacts) {
    if (contact.updatedAt <= at) yield contact;
    else {
      const indexed = asOf(contact, at);
      if (indexed) yield indexed;
    }
  }
}
