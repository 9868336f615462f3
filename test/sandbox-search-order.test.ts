import { describe, expect, it } from 'vitest';
import { HubSpotStore } from '../sandbox/hubspot/contact-store';
import { searchContacts, searchRequestSchema } from '../sandbox/hubspot/search';
import { firstInOrder } from '../sandbox/hubspot/first-in-order';

describe('HubSpot sandbox search order', () => {
  it('takes the first items of an order as a full sort does, whatever order they come in', () => {
    const items = Array.from({ length: 500 }, (_, i) => (i * 7919) % 1009);
    const byValue = (a: number, b: number) => a - b;
    for (const count of [0, 1, 3, 200, 499, 500, 900]) {
      expect(firstInOrder(items, byValue, count)).toEqual([...items].sort(byValue).slice(0, count));
      expect(firstInOrder([...items].reverse(), byValue, count)).toEqual([...items].sort(byValue).slice(0, count));
    }
  });

  it('pages a filtered search by a property as sorting every match would, ties by id', () => {
    const store = new HubSpotStore();
    const scores = Array.from({ length: 300 }, (_, i) => (i * 37) % 50);
    const ids = scores.map((score, i) => store.createContact({ email: `c${i}@x.example`, hubspotscore: String(score) }).id);
    const request = (after: string, direction: 'ASCENDING' | 'DESCENDING') =>
      searchRequestSchema.parse({ filterGroups: [{ filters: [{ propertyName: 'hubspotscore', operator: 'GTE', value: '10' }] }], sorts: [{ propertyName: 'hubspotscore', direction }], limit: 30, after });
    for (const direction of ['ASCENDING', 'DESCENDING'] as const) {
      // Expected here by hand: the ids of scores ≥ 10, by score (then id), every page in turn.
      const expected = ids
        .map((id, i) => ({ id, score: scores[i] ?? 0 }))
        .filter((c) => c.score >= 10)
        .sort((a, b) => (direction === 'ASCENDING' ? a.score - b.score : b.score - a.score) || Number(a.id) - Number(b.id))
        .map((c) => c.id);
      const paged: string[] = [];
      for (let after = '0'; ; ) {
        const page = searchContacts(store.contactsInIdOrder(), request(after, direction), store.properties);
        expect(page.total).toBe(expected.length);
        paged.push(...page.matches.map((c) => c.id));
        if (!page.nextAfter) break;
        after = page.nextAfter;
      }
      expect(paged).toEqual(expected);
    }
  });

  it('answers keyset pages on hs_object_id by id range exactly as testing every contact does', () => {
    const store = new HubSpotStore();
    const ids = Array.from({ length: 250 }, (_, i) => store.createContact({ email: `k${i}@x.example` }).id);
    const search = (filters: object[], extra: object = {}) => searchContacts(store.contactsInIdOrder(), searchRequestSchema.parse({ filterGroups: filters.length ? [{ filters }] : [], sorts: ['hs_object_id'], limit: 50, ...extra }), store.properties);
    const id = (i: number) => ids[i] ?? '';
    const cases: Array<{ filters: object[]; expected: string[]; extra?: object }> = [
      { filters: [{ propertyName: 'hs_object_id', operator: 'GT', value: id(10) }], expected: ids.slice(11) },
      { filters: [{ propertyName: 'hs_object_id', operator: 'GTE', value: id(10) }, { propertyName: 'hs_object_id', operator: 'LT', value: id(14) }], expected: ids.slice(10, 14) },
      { filters: [{ propertyName: 'hs_object_id', operator: 'BETWEEN', value: id(5), highValue: id(9) }], expected: ids.slice(5, 10) },
      { filters: [{ propertyName: 'hs_object_id', operator: 'EQ', value: id(7) }], expected: [id(7)] },
      { filters: [{ propertyName: 'hs_object_id', operator: 'GT', value: id(249) }], expected: [] },
      { filters: [], expected: ids, extra: { after: '200' } },
    ];
    for (const { filters, expected, extra } of cases) {
      const offset = Number((extra as { after?: string } | undefined)?.after ?? 0);
      const fast = search(filters, extra);
      // The same request with a filter every contact passes goes through the general path.
      const general = search([...filters, { propertyName: 'email', operator: 'HAS_PROPERTY' }], extra);
      expect(fast.total).toBe(offset ? ids.length : expected.length);
      expect(fast.matches.map((c) => c.id)).toEqual(expected.slice(offset ? 200 : 0, offset ? 250 : 50));
      expect({ ...fast, matches: fast.matches.map((c) => c.id) }).toEqual({ ...general, matches: general.matches.map((c) => c.id) });
    }
  });
});
