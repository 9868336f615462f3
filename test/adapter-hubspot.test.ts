import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHubSpotAdapter } from '../activities/crm';
import type { HubSpotPort } from '../activities/ports';
import { startHubSpotSandbox, type HubSpotSandbox } from '../sandbox';
import { countingMeter, receivedRequests } from './helpers/request-meter';

async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const err: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof ApplicationFailure)) throw new Error(`expected an ApplicationFailure, got ${String(err)}`);
  return err;
}

describe('the HubSpot adapter through @hubspot/api-client against the sandbox', () => {
  let sandbox: HubSpotSandbox;
  let hubspot: HubSpotPort;
  let contactIds: string[];

  beforeAll(async () => {
    sandbox = await startHubSpotSandbox({ searchLagMs: 0 });
    hubspot = createHubSpotAdapter({ accessToken: sandbox.accessToken, basePath: sandbox.baseUrl });
    sandbox.store.addOwner({ email: 'rep.one@example.com', firstName: 'Rep', lastName: 'One' });
    sandbox.store.addOwner({ email: 'rep.two@example.com', firstName: 'Rep', lastName: 'Two' });
    contactIds = Array.from({ length: 12 }, (_, i) =>
      sandbox.store.createContact({ email: `lead${i}@acme.example`, firstname: `Lead${i}`, company: 'Acme', lifecyclestage: 'lead', hubspotscore: String(i * 10) }).id,
    );
  });
  afterAll(async () => {
    await sandbox?.stop();
  });
  beforeEach(() => {
    sandbox.faults.reset();
  });

  it('reads a contact with the asked-for properties, blanks as null, and null for an unknown id', async () => {
    const contact = await hubspot.getContact({ contactId: contactIds[0] ?? '', properties: ['email', 'jobtitle'] });
    expect(contact).toMatchObject({ id: contactIds[0], properties: { email: 'lead0@acme.example', jobtitle: null } });
    expect(typeof contact?.updatedAt).toBe('string');
    expect(await hubspot.getContact({ contactId: '999999', properties: ['email'] })).toBeNull();
  });

  it('serves concurrent getContact calls with one batch read', async () => {
    const before = sandbox.requests.count('contacts.batchRead');
    const contacts = await Promise.all(contactIds.map((contactId, i) => hubspot.getContact({ contactId, properties: i % 2 ? ['email'] : ['firstname'] })));
    expect(sandbox.requests.count('contacts.batchRead') - before).toBe(1);
    expect(contacts[1]?.properties).toEqual({ email: 'lead1@acme.example' });
    expect(contacts[2]?.properties).toEqual({ firstname: 'Lead2' });
  });

  it('reads many contacts in batches of 100 and leaves out ids that do not exist', async () => {
    const before = sandbox.requests.count('contacts.batchRead');
    const ids = [...contactIds, ...Array.from({ length: 120 }, (_, i) => String(500_000 + i))];
    const contacts = await hubspot.getContacts({ contactIds: ids, properties: ['email'] });
    expect(contacts.map((c) => c.id)).toEqual(contactIds);
    expect(sandbox.requests.count('contacts.batchRead') - before).toBe(2);
  });

  it('shares one batch update among concurrent updateContact calls and fails only the invalid one', async () => {
    const before = sandbox.requests.count('contacts.batchUpdate');
    const [first, second, third] = contactIds;
    const outcomes = await Promise.allSettled([
      hubspot.updateContact({ contactId: first ?? '', properties: { handoff_outcome: 'accepted', hs_lead_status: 'OPEN' } }),
      hubspot.updateContact({ contactId: second ?? '', properties: { hs_lead_status: 'NOT_A_STATUS' } }),
      hubspot.updateContact({ contactId: third ?? '', properties: { handoff_assigned_at: '2026-01-05T10:00:00.000Z' } }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const rejected = outcomes[1];
    expect(rejected?.status === 'rejected' && rejected.reason).toMatchObject({ type: 'CrmInvalidRequest', nonRetryable: true });
    expect(sandbox.requests.count('contacts.batchUpdate') - before).toBe(1);
    expect(sandbox.store.value(first ?? '', 'handoff_outcome')).toBe('accepted');
    expect(sandbox.store.value(second ?? '', 'hs_lead_status')).toBeNull();
    expect(sandbox.store.value(third ?? '', 'handoff_assigned_at')).toBe('2026-01-05T10:00:00.000Z');
  });

  it('reports a missing contact on update as CrmNotFound and refuses lifecycle writes through updateContact', async () => {
    const missing = await failureOf(hubspot.updateContact({ contactId: '888888', properties: { handoff_outcome: 'x' } }));
    expect(missing).toMatchObject({ type: 'CrmNotFound', nonRetryable: true });
    const lifecycle = await failureOf(hubspot.updateContact({ contactId: contactIds[0] ?? '', properties: { lifecyclestage: 'lead' } }));
    expect(lifecycle.type).toBe('CrmInvalidRequest');
  });

  it('moves the lifecycle stage backwards by clearing it first, and returns the stage read back', async () => {
    const contactId = contactIds[5] ?? '';
    expect(await hubspot.setLifecycleStage({ contactId, stage: 'salesqualifiedlead' })).toEqual({ previous: 'lead', current: 'salesqualifiedlead' });
    expect(sandbox.store.value(contactId, 'hs_lifecyclestage_salesqualifiedlead_date')).not.toBeNull();
    expect(await hubspot.setLifecycleStage({ contactId, stage: 'lead' })).toEqual({ previous: 'salesqualifiedlead', current: 'lead' });
    const history = sandbox.store.get(contactId)?.history.get('lifecyclestage')?.map((v) => v.value);
    expect(history?.slice(0, 3)).toEqual(['lead', '', 'salesqualifiedlead']);
  });

  it('moves many contacts\' lifecycle stages through shared batch reads and updates, backwards ones cleared first', async () => {
    const forward = contactIds.slice(6, 9);
    const backward = contactIds.slice(9, 12);
    for (const contactId of backward) sandbox.store.update(contactId, { lifecyclestage: 'opportunity' }, 'API');
    const before = ['contacts.batchRead', 'contacts.batchUpdate', 'contacts.update', 'contacts.get'].map((op) => sandbox.requests.count(op));
    const moved = await Promise.all([...forward, ...backward].map((contactId) => hubspot.setLifecycleStage({ contactId, stage: 'marketingqualifiedlead' })));
    const [reads, updates, singleUpdates, singleReads] = ['contacts.batchRead', 'contacts.batchUpdate', 'contacts.update', 'contacts.get'].map((op, i) => sandbox.requests.count(op) - (before[i] ?? 0));
    expect(moved).toEqual([
      ...forward.map(() => ({ previous: 'lead', current: 'marketingqualifiedlead' })),
      ...backward.map(() => ({ previous: 'opportunity', current: 'marketingqualifiedlead' })),
    ]);
    // Read, clear+set, set+read-back, read-back: a handful of requests for six contacts, none per contact.
    expect(reads).toBeLessThanOrEqual(3);
    expect(updates).toBeLessThanOrEqual(2);
    expect([singleUpdates, singleReads]).toEqual([0, 0]);
    const history = sandbox.store.get(backward[0] ?? '')?.history.get('lifecyclestage')?.map((v) => v.value);
    expect(history?.slice(0, 3)).toEqual(['marketingqualifiedlead', '', 'opportunity']);
  });

  it('shares one membership request among concurrent addToList calls for the same list', async () => {
    const listId = sandbox.store.createList('shared-nurture');
    const otherList = sandbox.store.createList('other-nurture');
    const before = sandbox.requests.count('lists.add');
    await Promise.all([
      ...contactIds.slice(0, 6).map((contactId) => hubspot.addToList({ listId, contactIds: [contactId] })),
      hubspot.addToList({ listId: otherList, contactIds: contactIds.slice(6, 8) }),
    ]);
    expect(sandbox.requests.count('lists.add') - before).toBe(2);
    expect([...(sandbox.store.lists.get(listId)?.members ?? [])].sort()).toEqual(contactIds.slice(0, 6).sort());
    expect([...(sandbox.store.lists.get(otherList)?.members ?? [])].sort()).toEqual(contactIds.slice(6, 8).sort());
  });

  it('adds and removes list members idempotently, and reports an unknown list as CrmNotFound', async () => {
    const listId = sandbox.store.createList('nurture');
    const members = contactIds.slice(0, 3);
    await hubspot.addToList({ listId, contactIds: members });
    await hubspot.addToList({ listId, contactIds: members });
    expect([...(sandbox.store.lists.get(listId)?.members ?? [])]).toEqual(members);
    await hubspot.removeFromList({ listId, contactIds: members.slice(0, 2) });
    await hubspot.removeFromList({ listId, contactIds: members.slice(0, 2) });
    expect([...(sandbox.store.lists.get(listId)?.members ?? [])]).toEqual(members.slice(2));
    expect((await failureOf(hubspot.addToList({ listId: '404', contactIds: members }))).type).toBe('CrmNotFound');
  });

  it('pages through search results with after', async () => {
    const filterGroups = [{ filters: [{ propertyName: 'hubspotscore', operator: 'GTE' as const, value: '30' }, { propertyName: 'company', operator: 'EQ' as const, value: 'acme' }] }];
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await hubspot.searchContacts({ filterGroups, properties: ['hubspotscore'], sorts: ['-hubspotscore'], limit: 4, ...(after ? { after } : {}) });
      expect(page.total).toBe(9);
      seen.push(...page.results.map((c) => c.properties.hubspotscore ?? ''));
      after = page.after;
      pages++;
    } while (after);
    expect(pages).toBe(3);
    expect(seen).toEqual(['110', '100', '90', '80', '70', '60', '50', '40', '30']);
  });

  it('lists the portal owners', async () => {
    expect(await hubspot.listOwners()).toEqual([
      expect.objectContaining({ email: 'rep.one@example.com', firstName: 'Rep', lastName: 'One' }),
      expect.objectContaining({ email: 'rep.two@example.com', lastName: 'Two' }),
    ]);
  });

  it('translates a 5xx into a retryable CrmUnavailable without the response body', async () => {
    sandbox.faults.failNext('serverError');
    const failure = await failureOf(hubspot.listOwners());
    expect(failure).toMatchObject({ type: 'CrmUnavailable', nonRetryable: false });
    expect(failure.message).toBe('hubspot.listOwners failed: HTTP 502');
  });

  it('meters every request it sends and each 429, as many as the portal received', async () => {
    const meter = countingMeter();
    const metered = createHubSpotAdapter({ accessToken: sandbox.accessToken, basePath: sandbox.baseUrl, meter });
    sandbox.requests.reset();
    // Three reads side by side share one batch request; then an owners page, a write, a refused read.
    await Promise.all(contactIds.slice(0, 3).map((contactId) => metered.getContact({ contactId, properties: ['email'] })));
    await metered.listOwners();
    await metered.updateContact({ contactId: contactIds[1] ?? '', properties: { jobtitle: 'VP' } });
    sandbox.faults.failNext('rateLimit');
    expect((await failureOf(metered.getContact({ contactId: contactIds[2] ?? '', properties: ['email'] }))).type).toBe('CrmRateLimited');
    expect(receivedRequests(sandbox.requests)).toBe(4);
    expect(meter.counts).toEqual({ sent: receivedRequests(sandbox.requests), rateLimited: 1 });
  });

  it('keeps personal data out of failure messages', async () => {
    const failure = await failureOf(hubspot.updateContact({ contactId: contactIds[0] ?? '', properties: { email: 'x', hubspot_owner_id: 'nobody@example.com' } }));
    expect(failure.type).toBe('CrmInvalidRequest');
    expect(failure.message).not.toMatch(/example\.com/);
    expect(failure.details ?? []).toEqual([]);
  });
});

describe('the HubSpot adapter when the portal pushes back', () => {
  let sandbox: HubSpotSandbox;
  beforeAll(async () => {
    sandbox = await startHubSpotSandbox({ rateLimits: { tenSecondly: 2, windowMs: 2_500 } });
    sandbox.store.addOwner({ email: 'rep@example.com', firstName: 'R', lastName: 'P' });
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('keeps every request within its call budget, so the portal never answers 429 to concurrent calls', async () => {
    // As in production, the budget sits a little under the portal's limit: requests cross the wire a
    // few milliseconds apart from when they left.
    const limited = await startHubSpotSandbox({ rateLimits: { tenSecondly: 5, windowMs: 1_000 } });
    try {
      limited.store.addOwner({ email: 'rep@example.com', firstName: 'R', lastName: 'P' });
      const ids = Array.from({ length: 3 }, (_, i) => limited.store.createContact({ email: `budget${i}@acme.example`, lifecyclestage: 'lead' }).id);
      const hubspot = createHubSpotAdapter({ accessToken: limited.accessToken, basePath: limited.baseUrl, callBudget: { calls: 4, perMs: 1_000 } });
      const outcomes = await Promise.allSettled([
        ...Array.from({ length: 5 }, () => hubspot.listOwners()),
        ...ids.map((contactId) => hubspot.getContacts({ contactIds: [contactId], properties: ['email'] })),
        ...ids.map((contactId) => hubspot.setLifecycleStage({ contactId, stage: 'marketingqualifiedlead' })),
      ]);
      expect(outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []))).toEqual([]);
    } finally {
      await limited.stop();
    }
  });

  it('turns a 429 into CrmRateLimited with the policy window as the retry delay', async () => {
    const hubspot = createHubSpotAdapter({ accessToken: sandbox.accessToken, basePath: sandbox.baseUrl });
    await hubspot.listOwners();
    await hubspot.listOwners();
    const failure = await failureOf(hubspot.listOwners());
    expect(failure).toMatchObject({ type: 'CrmRateLimited', nonRetryable: false, nextRetryDelay: 2_500 });
    expect(failure.message).toContain('TEN_SECONDLY_ROLLING');
  });

  it('refuses a wrong token as a non-retryable CrmUnauthorized', async () => {
    const hubspot = createHubSpotAdapter({ accessToken: 'pat-wrong', basePath: sandbox.baseUrl });
    expect(await failureOf(hubspot.listOwners())).toMatchObject({ type: 'CrmUnauthorized', nonRetryable: true });
  });

  it('gives up on a request that hangs and reports CrmUnavailable', async () => {
    sandbox.faults.failNext('timeout');
    const hubspot = createHubSpotAdapter({ accessToken: sandbox.accessToken, basePath: sandbox.baseUrl, requestTimeoutMs: 200 });
    expect(await failureOf(hubspot.getContact({ contactId: '1', properties: [] }))).toMatchObject({ type: 'CrmUnavailable' });
  });
});
