/**
 * The sandboxes answer as the real APIs do where other clients found them differing (issue 15),
 * driven through the real clients: jsforce and @hubspot/api-client.
 */
import { createHmac } from 'node:crypto';
import { Client } from '@hubspot/api-client';
import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/contacts';
import { Connection } from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxes, type Sandboxes } from '../sandbox';

describe('sandbox fidelity through the real clients', () => {
  let sandboxes: Sandboxes;
  let hubspot: Client;
  let salesforce: Connection;

  beforeAll(async () => {
    sandboxes = await startSandboxes({ hubspot: { rateLimits: { searchPerSecond: 1000 }, searchLagMs: 0 } });
    hubspot = new Client({ accessToken: sandboxes.hubspot.accessToken, basePath: sandboxes.hubspot.baseUrl, numberOfApiCallRetries: 0 });
    const { loginUrl, clientId, clientSecret } = sandboxes.salesforce;
    salesforce = new Connection({ loginUrl, version: '62.0', oauth2: { loginUrl, clientId, clientSecret } });
    await salesforce.authorize({ grant_type: 'client_credentials' });
  });
  afterAll(async () => {
    await sandboxes?.stop();
  });

  it('Salesforce describes Lead: fields, lengths, restricted Status picklist', async () => {
    const describe = await salesforce.sobject('Lead').describe();
    const field = (name: string) => describe.fields.find((f) => f.name === name);
    expect([field('LastName')?.length, field('FirstName')?.length, field('Company')?.length, field('Email')?.length, field('Title')?.length]).toEqual([80, 40, 255, 80, 128]);
    expect(field('Status')?.picklistValues?.map((v: { value: string }) => v.value)).toEqual(['Open - Not Contacted', 'Working - Contacted', 'Closed - Converted', 'Closed - Not Converted']);
    expect(field('Status')?.restrictedPicklist).toBe(true);
    expect(field('HubSpot_Contact_Id__c')?.externalId).toBe(true);
  });

  it('Salesforce reads a Lead by external id, and 404s an unknown one', async () => {
    const created = await salesforce.sobject('Lead').create({ LastName: 'Ext', Company: 'Acme', HubSpot_Contact_Id__c: 'hs-77' });
    const byExternal = await salesforce.request<{ Id: string; LastName: string }>('/services/data/v62.0/sobjects/Lead/HubSpot_Contact_Id__c/hs-77?fields=Id,LastName');
    expect(byExternal).toMatchObject({ Id: 'id' in created ? created.id : '', LastName: 'Ext' });
    await expect(salesforce.request('/services/data/v62.0/sobjects/Lead/HubSpot_Contact_Id__c/hs-none')).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });
  });

  it("signs the OAuth answer as base64(HMAC-SHA256(client_secret, id + issued_at))", async () => {
    const { loginUrl, clientId, clientSecret } = sandboxes.salesforce;
    const response = await fetch(`${loginUrl}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }),
    });
    const token = (await response.json()) as { id: string; issued_at: string; signature: string };
    expect(token.signature).toBe(createHmac('sha256', clientSecret).update(`${token.id}${token.issued_at}`).digest('base64'));
  });

  it('refuses text longer than the field (STRING_TOO_LONG), per field length', async () => {
    await expect(salesforce.sobject('Lead').create({ LastName: 'x'.repeat(81), Company: 'Acme' })).rejects.toMatchObject({ errorCode: 'STRING_TOO_LONG' });
    await expect(salesforce.sobject('Lead').create({ LastName: 'x', FirstName: 'y'.repeat(41), Company: 'Acme' })).rejects.toMatchObject({ errorCode: 'STRING_TOO_LONG' });
    await expect(salesforce.sobject('Lead').create({ LastName: 'x'.repeat(80), Company: 'c'.repeat(255), Title: 't'.repeat(128) })).resolves.toMatchObject({ success: true });
  });

  it('a collections upsert naming one external id twice refuses both items', async () => {
    const results = await salesforce.sobject('Lead').upsert(
      [
        { LastName: 'A', Company: 'Acme', HubSpot_Contact_Id__c: 'dup-1' },
        { LastName: 'B', Company: 'Acme', HubSpot_Contact_Id__c: 'dup-1' },
        { LastName: 'C', Company: 'Acme', HubSpot_Contact_Id__c: 'single-1' },
      ],
      'HubSpot_Contact_Id__c',
      { allOrNone: false },
    );
    expect(results.map((r) => (r.success ? 'ok' : r.errors.map((e) => ('statusCode' in e ? e.statusCode : e.errorCode)).join()))).toEqual(['DUPLICATE_EXTERNAL_ID', 'DUPLICATE_EXTERNAL_ID', 'ok']);
  });

  it('HubSpot: an owner by id, archived owners apart', async () => {
    const active = sandboxes.hubspot.store.addOwner({ email: 'a@x.example', firstName: 'A', lastName: 'Active' });
    const gone = sandboxes.hubspot.store.addOwner({ email: 'g@x.example', firstName: 'G', lastName: 'Gone' });
    gone.archived = true;
    expect((await hubspot.crm.owners.ownersApi.getById(Number(active.id))).email).toBe('a@x.example');
    await expect(hubspot.crm.owners.ownersApi.getById(Number(gone.id))).rejects.toMatchObject({ code: 404 });
    expect((await hubspot.crm.owners.ownersApi.getById(Number(gone.id), 'id', true)).archived).toBe(true);
    const activeEmails = (await hubspot.crm.owners.ownersApi.getPage()).results.map((o) => o.email);
    expect(activeEmails).toContain('a@x.example');
    expect(activeEmails).not.toContain('g@x.example');
  });

  it('HubSpot list memberships: read in pages, add and remove in one call', async () => {
    const ids = ['1', '2', '3'].map((n) => sandboxes.hubspot.store.createContact({ email: `m${n}@x.example` }).id);
    const listId = sandboxes.hubspot.store.createList('Nurture');
    const change = await hubspot.crm.lists.membershipsApi.addAndRemove(listId, { recordIdsToAdd: ids, recordIdsToRemove: [] });
    expect(change.recordsIdsAdded).toEqual(ids);
    const second = await hubspot.crm.lists.membershipsApi.addAndRemove(listId, { recordIdsToAdd: [], recordIdsToRemove: [ids[0] ?? '', '999999'] });
    expect([second.recordIdsRemoved, second.recordIdsMissing]).toEqual([[ids[0]], ['999999']]);
    const first = await hubspot.crm.lists.membershipsApi.getPage(listId, undefined, undefined, 1);
    expect(first.results.map((r) => r.recordId)).toEqual([ids[1]]);
    const rest = await hubspot.crm.lists.membershipsApi.getPage(listId, first.paging?.next?.after, undefined, 1);
    expect(rest.results.map((r) => r.recordId)).toEqual([ids[2]]);
    expect(rest.paging?.next).toBeUndefined();
    expect((await hubspot.crm.lists.listsApi.getById(listId)).list.name).toBe('Nurture');
  });

  it('HubSpot lists every contact in id order, page by page', async () => {
    const seen: string[] = [];
    let after: string | undefined;
    do {
      const page = await hubspot.crm.contacts.basicApi.getPage(2, after, ['email']);
      seen.push(...page.results.map((c) => c.id));
      after = page.paging?.next?.after;
    } while (after);
    const expected = [...sandboxes.hubspot.store.contacts.keys()].sort((a, b) => Number(a) - Number(b));
    expect(seen).toEqual(expected);
  });

  it('HubSpot property definitions with their options', async () => {
    const all = await hubspot.crm.properties.coreApi.getAll('contacts');
    expect(all.results.find((p) => p.name === 'lifecyclestage')?.options.map((o) => o.value)).toContain('marketingqualifiedlead');
  });

  it('HubSpot refuses history batch reads above 50 inputs with its message', async () => {
    const ids = Array.from({ length: 51 }, (_, i) => sandboxes.hubspot.store.createContact({ email: `h${i}@x.example` }).id);
    const read = (n: number) => hubspot.crm.contacts.batchApi.read({ inputs: ids.slice(0, n).map((id) => ({ id })), properties: [], propertiesWithHistory: ['email'] });
    await expect(read(50)).resolves.toMatchObject({ status: 'COMPLETE' });
    const refused = await read(51).then(() => undefined, (err: unknown) => err);
    expect(refused).toMatchObject({ code: 400 });
    expect(JSON.stringify(refused)).toContain('The maximum number of inputs supported in a batch request for property histories is 50');
  });

  it('HubSpot search limits: 6 filters a group, 18 in all, 5 groups', async () => {
    const filter = { propertyName: 'email', operator: FilterOperatorEnum.HasProperty };
    const search = (groups: number, perGroup: number) =>
      hubspot.crm.contacts.searchApi.doSearch({ filterGroups: Array.from({ length: groups }, () => ({ filters: Array.from({ length: perGroup }, () => filter) })), limit: 1 });
    await expect(search(3, 6)).resolves.toHaveProperty('total');
    await expect(search(1, 7)).rejects.toMatchObject({ code: 400 });
    await expect(search(4, 5)).rejects.toMatchObject({ code: 400 });
    await expect(search(6, 1)).rejects.toMatchObject({ code: 400 });
  });

  it('HubSpot search shows a write only after the configured lag; reads by id see it at once', async () => {
    let now = Date.parse('2026-03-02T10:00:00.000Z');
    const lagged = await startSandboxes({ hubspot: { clock: () => now, searchLagMs: 3_000, rateLimits: { searchPerSecond: 1000 } } });
    try {
      const client = new Client({ accessToken: lagged.hubspot.accessToken, basePath: lagged.hubspot.baseUrl, numberOfApiCallRetries: 0 });
      const created = await client.crm.contacts.basicApi.create({ properties: { email: 'lag@x.example', lifecyclestage: 'lead' } });
      const byLifecycle = async (stage: string) =>
        (await client.crm.contacts.searchApi.doSearch({ filterGroups: [{ filters: [{ propertyName: 'lifecyclestage', operator: FilterOperatorEnum.Eq, value: stage }] }], limit: 10 })).results.map((c) => c.id);
      expect(await byLifecycle('lead')).toEqual([]);
      expect((await client.crm.contacts.basicApi.getById(created.id, ['email'])).properties.email).toBe('lag@x.example');
      now += 3_000;
      expect(await byLifecycle('lead')).toEqual([created.id]);
      await client.crm.contacts.basicApi.update(created.id, { properties: { lifecyclestage: 'marketingqualifiedlead' } });
      now += 1_000;
      // Still indexed with its old stage, not yet with the new one.
      expect([await byLifecycle('lead'), await byLifecycle('marketingqualifiedlead')]).toEqual([[created.id], []]);
      now += 2_000;
      expect([await byLifecycle('lead'), await byLifecycle('marketingqualifiedlead')]).toEqual([[], [created.id]]);
    } finally {
      await lagged.stop();
    }
  });

  it('HubSpot answers unrouted paths with a category in the error body', async () => {
    const response = await hubspot.apiRequest({ method: 'GET', path: '/crm/v3/nowhere' });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ status: 'error', category: 'OBJECT_NOT_FOUND' });
  });
});
