import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SalesforcePort } from '../activities/ports';
import { createSalesforceAdapter, soqlLiteral } from '../activities/crm';
import { SalesforceStore, startSalesforceSandbox, type SalesforceSandbox } from '../sandbox';
import { countingMeter, receivedRequests } from './helpers/request-meter';

/** A clock the test moves by hand, so SystemModstamp seconds are known. */
function manualClock(start: number) {
  let now = start;
  return { now: () => now, set: (t: number) => (now = t) };
}

describe('the Salesforce adapter through jsforce against the sandbox', () => {
  const clock = manualClock(Date.parse('2026-03-02T09:00:00.000Z'));
  let sandbox: SalesforceSandbox;
  let salesforce: SalesforcePort;

  beforeAll(async () => {
    sandbox = await startSalesforceSandbox({ clock: clock.now, store: new SalesforceStore(clock.now), minQueryPageSize: 1 });
    salesforce = createSalesforceAdapter({ instanceUrl: sandbox.instanceUrl, loginUrl: sandbox.loginUrl, clientId: sandbox.clientId, clientSecret: sandbox.clientSecret, apiVersion: '62.0' });
    sandbox.store.create('User', { Username: 'ana@corp.example', Email: 'ana@corp.example', FirstName: 'Ana', LastName: 'Reyes' });
  });
  afterAll(async () => {
    await sandbox?.stop();
  });
  beforeEach(() => {
    sandbox.faults.reset();
  });

  it('authorizes with client credentials on first use and lists users', async () => {
    const users = await salesforce.listUsers();
    expect(users).toEqual(expect.arrayContaining([expect.objectContaining({ email: 'ana@corp.example', name: 'Ana Reyes', isActive: true })]));
    expect(sandbox.requests.count('oauth.token')).toBe(1);
  });

  it('upserts by the HubSpot id so retries never create a second lead', async () => {
    const first = await salesforce.upsertLead({ hubspotContactId: 'hs-1', fields: { LastName: 'Doe', Company: 'Acme', Email: 'jane@acme.example' } });
    const again = await salesforce.upsertLead({ hubspotContactId: 'hs-1', fields: { LastName: 'Doe', Company: 'Acme Corp', Email: 'jane@acme.example' } });
    expect(first.created).toBe(true);
    expect(again).toEqual({ id: first.id, created: false });
    expect(sandbox.store.list('Lead').filter((l) => l.fields.HubSpot_Contact_Id__c === 'hs-1')).toHaveLength(1);
    expect(sandbox.store.find(first.id)?.fields.Company).toBe('Acme Corp');
  });

  it('finds the lead by stored lead id, then by HubSpot id, then by email among unconverted leads', async () => {
    const connectorLead = sandbox.store.create('Lead', { LastName: "O'Brien", Company: 'Initech', Email: "o'brien@initech.example" });
    const converted = sandbox.store.create('Lead', { LastName: 'Old', Company: 'Initech', Email: 'old@initech.example' });
    sandbox.store.convertLead({ leadId: converted.id, convertedStatus: 'Closed - Converted' });
    const upserted = await salesforce.upsertLead({ hubspotContactId: 'hs-2', fields: { LastName: 'Two', Company: 'Globex' } });

    expect(await salesforce.findLead({ hubspotContactId: 'x', salesforceLeadId: connectorLead.id, fields: ['Email'] })).toEqual({ id: connectorLead.id, fields: { Email: "o'brien@initech.example" } });
    expect((await salesforce.findLead({ hubspotContactId: 'hs-2', fields: ['LastName'] }))?.id).toBe(upserted.id);
    expect((await salesforce.findLead({ hubspotContactId: 'hs-3', email: "o'brien@initech.example", fields: [] }))?.id).toBe(connectorLead.id);
    expect(await salesforce.findLead({ hubspotContactId: 'hs-4', email: 'old@initech.example', fields: [] })).toBeNull();
    expect((await salesforce.findLead({ hubspotContactId: 'hs-2', salesforceLeadId: '00Q8d0000009999AAA', fields: [] }))?.id).toBe(upserted.id);
  });

  it('shares one collections PATCH among concurrent updateLead calls and fails only the bad picklist value', async () => {
    const ids = [0, 1, 2].map((i) => sandbox.store.create('Lead', { LastName: `Batch${i}`, Company: 'Acme' }).id);
    const before = sandbox.requests.count('collections.update');
    const outcomes = await Promise.allSettled([
      salesforce.updateLead({ leadId: ids[0] ?? '', fields: { Status: 'Working - Contacted' } }),
      salesforce.updateLead({ leadId: ids[1] ?? '', fields: { Status: 'Maybe Later' } }),
      salesforce.updateLead({ leadId: ids[2] ?? '', fields: { SLA_Assigned_At__c: '2026-03-02T09:00:00.000Z' } }),
    ]);
    expect(sandbox.requests.count('collections.update') - before).toBe(1);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const rejected = outcomes[1];
    expect(rejected?.status === 'rejected' && rejected.reason).toMatchObject({
      type: 'CrmInvalidRequest',
      nonRetryable: true,
      message: 'salesforce.updateLead failed: INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST (Status)',
    });
    expect(sandbox.store.find(ids[0] ?? '')?.fields.Status).toBe('Working - Contacted');
    expect(sandbox.store.find(ids[1] ?? '')?.fields.Status).toBe('Open - Not Contacted');
  });

  it('gets a lead with the asked-for fields, and null for one that does not exist', async () => {
    const lead = sandbox.store.create('Lead', { LastName: 'Get', Company: 'Acme', Status: 'Working - Contacted' });
    expect(await salesforce.getLead({ leadId: lead.id, fields: ['Status', 'isconverted'] })).toEqual({ id: lead.id, fields: { Status: 'Working - Contacted', isconverted: false } });
    expect(await salesforce.getLead({ leadId: '00Q8d0000009999AAA', fields: ['Status'] })).toBeNull();
  });

  it('reads every lead changed since a cursor exactly once, even when many share a second', async () => {
    const start = Date.parse('2026-03-03T00:00:00.000Z');
    const expected: string[] = [];
    // Five leads in one second (in ms order against Id order), then three in the next.
    for (const [offset, name] of [[900, 'a'], [100, 'b'], [500, 'c'], [700, 'd'], [300, 'e'], [1200, 'f'], [1500, 'g'], [2100, 'h']] as const) {
      clock.set(start + offset);
      expected.push(sandbox.store.create('Lead', { LastName: name, Company: 'Stream' }).id);
    }
    const seen: string[] = [];
    let cursor = { since: new Date(start - 1000).toISOString() } as { since: string; afterId?: string };
    for (let polls = 0; polls < 10; polls++) {
      const page = await salesforce.leadsChangedSince({ cursor, fields: ['LastName'], limit: 2 });
      seen.push(...page.leads.map((l) => l.id));
      cursor = page.cursor;
      if (page.leads.length === 0) break;
    }
    expect([...seen].sort()).toEqual([...expected].sort());
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('reads the tasks logged on a lead since an instant', async () => {
    const lead = sandbox.store.create('Lead', { LastName: 'Tasked', Company: 'Acme' });
    clock.set(Date.parse('2026-03-04T10:00:00.000Z'));
    sandbox.store.create('Task', { WhoId: lead.id, Subject: 'Call', Type: 'Call', Status: 'Completed' });
    clock.set(Date.parse('2026-03-04T12:00:00.000Z'));
    const recent = sandbox.store.create('Task', { WhoId: lead.id, Subject: 'Email', Type: 'Email' });
    const tasks = await salesforce.tasksForLead({ leadId: lead.id, since: '2026-03-04T11:00:00.000Z', fields: ['Subject', 'Type'] });
    expect(tasks).toEqual([{ id: recent.id, fields: { Subject: 'Email', Type: 'Email' } }]);
  });

  it('pages through a SOQL query with a locator', async () => {
    for (let i = 0; i < 5; i++) sandbox.store.create('Lead', { LastName: `Page${i}`, Company: 'Pager Inc' });
    const where = `Company = ${soqlLiteral('Pager Inc')}`;
    const names: string[] = [];
    let page = await salesforce.queryLeads({ where, fields: ['LastName'], pageSize: 2 });
    names.push(...page.records.map((r) => String(r.fields.LastName)));
    expect(page.totalSize).toBe(5);
    while (page.locator) {
      page = await salesforce.queryLeads({ fields: ['LastName'], locator: page.locator, pageSize: 2 });
      names.push(...page.records.map((r) => String(r.fields.LastName)));
    }
    expect(names).toEqual(['Page0', 'Page1', 'Page2', 'Page3', 'Page4']);
  });

  it('authorizes again when the session expires', async () => {
    sandbox.sessions.revokeAll();
    const before = sandbox.requests.count('oauth.token');
    expect((await salesforce.listUsers()).length).toBeGreaterThan(0);
    expect(sandbox.requests.count('oauth.token') - before).toBe(1);
  });

  it('reports a 503 as CrmUnavailable after one attempt (jsforce retries are off)', async () => {
    sandbox.faults.failNext('serverError');
    const before = sandbox.requests.count('query');
    await expect(salesforce.listUsers()).rejects.toMatchObject({ type: 'CrmUnavailable', nonRetryable: false, message: 'salesforce.listUsers failed: SERVER_UNAVAILABLE' });
    expect(sandbox.requests.count('query') - before).toBe(1);
  });

  it('serves concurrent findLead calls with one SOQL query, keeping each lead\'s precedence and the first-created match', async () => {
    clock.set(Date.parse('2026-03-05T09:00:00.000Z'));
    const olderByEmail = sandbox.store.create('Lead', { LastName: 'Older', Company: 'Umbrella', Email: 'twin@umbrella.example' });
    clock.set(Date.parse('2026-03-05T09:00:05.000Z'));
    sandbox.store.create('Lead', { LastName: 'Newer', Company: 'Umbrella', Email: 'TWIN@umbrella.example' });
    const stored = sandbox.store.create('Lead', { LastName: 'Stored', Company: 'Umbrella', Email: 'stored@umbrella.example' });
    const byHubSpotId = await salesforce.upsertLead({ hubspotContactId: 'hs-batch-1', fields: { LastName: 'Ext', Company: 'Umbrella', Email: 'twin@umbrella.example' } });
    const before = sandbox.requests.count('query');
    const [storedFirst, extBeatsEmail, emailOldest, malformedStored, nothing] = await Promise.all([
      salesforce.findLead({ hubspotContactId: 'hs-batch-1', salesforceLeadId: stored.id, fields: ['LastName'] }),
      salesforce.findLead({ hubspotContactId: 'hs-batch-1', email: 'stored@umbrella.example', fields: ['LastName'] }),
      salesforce.findLead({ hubspotContactId: 'hs-batch-2', email: 'Twin@Umbrella.example', fields: ['LastName'] }),
      salesforce.findLead({ hubspotContactId: 'hs-batch-3', salesforceLeadId: 'not-an-id', email: 'nobody@umbrella.example', fields: ['LastName'] }),
      salesforce.findLead({ hubspotContactId: 'hs-batch-4', fields: ['LastName'] }),
    ]);
    expect(sandbox.requests.count('query') - before).toBe(1);
    expect(storedFirst).toEqual({ id: stored.id, fields: { LastName: 'Stored' } });
    expect(extBeatsEmail?.id).toBe(byHubSpotId.id);
    expect(emailOldest?.id).toBe(olderByEmail.id);
    expect(malformedStored).toBeNull();
    expect(nothing).toBeNull();
  });

  it('shares one collections upsert among concurrent upsertLead calls and fails only the bad record', async () => {
    const before = { upserts: sandbox.requests.count('collections.upsert'), single: sandbox.requests.count('sobjects.upsert') };
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        salesforce.upsertLead({ hubspotContactId: `hs-many-${i}`, fields: { LastName: `Many${i}`, Company: 'Hooli', ...(i === 7 ? { Status: 'Maybe Later' } : {}) } }),
      ),
    );
    expect(sandbox.requests.count('collections.upsert') - before.upserts).toBe(1);
    expect(sandbox.requests.count('sobjects.upsert') - before.single).toBe(0);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(19);
    const rejected = outcomes[7];
    expect(rejected?.status === 'rejected' && rejected.reason).toMatchObject({ type: 'CrmInvalidRequest', nonRetryable: true, message: 'salesforce.upsertLead failed: INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST (Status)' });
    const created = outcomes[0];
    expect(created?.status === 'fulfilled' && created.value.created).toBe(true);
    expect(sandbox.store.list('Lead').filter((l) => String(l.fields.HubSpot_Contact_Id__c ?? '').startsWith('hs-many-'))).toHaveLength(19);
  });

  it('hands every caller of a refused batch the retryable rate-limit failure', async () => {
    sandbox.faults.failNext('rateLimit');
    const outcomes = await Promise.allSettled([0, 1, 2].map((i) => salesforce.upsertLead({ hubspotContactId: `hs-limited-${i}`, fields: { LastName: 'Limited', Company: 'Hooli' } })));
    for (const outcome of outcomes) expect(outcome.status === 'rejected' && outcome.reason).toMatchObject({ type: 'CrmRateLimited', nonRetryable: false });
    expect(sandbox.store.list('Lead').filter((l) => String(l.fields.HubSpot_Contact_Id__c ?? '').startsWith('hs-limited-'))).toHaveLength(0);
  });

  it('meters every request it sends (the token request too) and each REQUEST_LIMIT_EXCEEDED, as many as the org received', async () => {
    const meter = countingMeter();
    const metered = createSalesforceAdapter({ instanceUrl: sandbox.instanceUrl, loginUrl: sandbox.loginUrl, clientId: sandbox.clientId, clientSecret: sandbox.clientSecret, apiVersion: '62.0', meter });
    sandbox.requests.reset();
    await metered.listUsers();
    await Promise.all([0, 1].map((i) => metered.upsertLead({ hubspotContactId: `hs-metered-${i}`, fields: { LastName: 'Metered', Company: 'Hooli' } })));
    sandbox.faults.failNext('rateLimit');
    await expect(metered.upsertLead({ hubspotContactId: 'hs-metered-refused', fields: { LastName: 'Metered', Company: 'Hooli' } })).rejects.toMatchObject({ type: 'CrmRateLimited' });
    expect(receivedRequests(sandbox.requests)).toBeGreaterThanOrEqual(4);
    expect(meter.counts).toEqual({ sent: receivedRequests(sandbox.requests), rateLimited: 1 });
  });

  it('serves concurrent getLead and tasksForLead calls with one query each, split per lead', async () => {
    const leads = [0, 1, 2].map((i) => sandbox.store.create('Lead', { LastName: `Split${i}`, Company: 'Acme' }));
    clock.set(Date.parse('2026-03-06T10:00:00.000Z'));
    const early = sandbox.store.create('Task', { WhoId: leads[0]?.id, Subject: 'Early', Type: 'Call' });
    clock.set(Date.parse('2026-03-06T12:00:00.000Z'));
    const late = [0, 1].map((i) => sandbox.store.create('Task', { WhoId: leads[i]?.id, Subject: `Late${i}`, Type: 'Email' }));
    // The clock moved past the session's lifetime: renew it before counting queries.
    await salesforce.listUsers();
    const before = sandbox.requests.count('query');
    const [read0, read1, readMissing, readMalformed] = await Promise.all([
      salesforce.getLead({ leadId: leads[0]?.id ?? '', fields: ['LastName'] }),
      salesforce.getLead({ leadId: leads[1]?.id ?? '', fields: ['LastName'] }),
      salesforce.getLead({ leadId: '00Q8d0000009999AAA', fields: ['LastName'] }),
      salesforce.getLead({ leadId: 'bogus', fields: ['LastName'] }),
    ]);
    expect(sandbox.requests.count('query') - before).toBe(1);
    expect([read0?.fields.LastName, read1?.fields.LastName, readMissing, readMalformed]).toEqual(['Split0', 'Split1', null, null]);

    const tasksBefore = sandbox.requests.count('query');
    const [all0, since0, since1, none2] = await Promise.all([
      salesforce.tasksForLead({ leadId: leads[0]?.id ?? '', since: '2026-03-06T09:00:00.000Z', fields: ['Subject'] }),
      salesforce.tasksForLead({ leadId: leads[0]?.id ?? '', since: '2026-03-06T11:00:00.000Z', fields: ['Subject'] }),
      salesforce.tasksForLead({ leadId: leads[1]?.id ?? '', since: '2026-03-06T11:00:00.000Z', fields: ['Subject'] }),
      salesforce.tasksForLead({ leadId: leads[2]?.id ?? '', since: '2026-03-06T09:00:00.000Z', fields: ['Subject'] }),
    ]);
    expect(sandbox.requests.count('query') - tasksBefore).toBe(1);
    expect(all0.map((t) => t.id)).toEqual([early.id, late[0]?.id]);
    expect(since0).toEqual([{ id: late[0]?.id, fields: { Subject: 'Late0' } }]);
    expect(since1).toEqual([{ id: late[1]?.id, fields: { Subject: 'Late1' } }]);
    expect(none2).toEqual([]);
  });
});

describe('the Salesforce adapter when the org pushes back', () => {
  let sandbox: SalesforceSandbox;
  beforeAll(async () => {
    sandbox = await startSalesforceSandbox({ dailyApiLimit: 3 });
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('turns REQUEST_LIMIT_EXCEEDED into CrmRateLimited with the configured retry delay', async () => {
    const salesforce = createSalesforceAdapter({ instanceUrl: sandbox.instanceUrl, accessToken: sandbox.accessToken, rateLimitRetryDelayMs: 90_000 });
    for (let i = 0; i < 3; i++) await salesforce.listUsers();
    await expect(salesforce.listUsers()).rejects.toMatchObject({ type: 'CrmRateLimited', nonRetryable: false, nextRetryDelay: 90_000 });
  });

  it('refuses an invalid token without credentials to renew it as CrmUnauthorized', async () => {
    const salesforce = createSalesforceAdapter({ instanceUrl: sandbox.instanceUrl, accessToken: 'not-a-session' });
    await expect(salesforce.getLead({ leadId: '00Q8d0000000001AAA', fields: [] })).rejects.toMatchObject({ type: 'CrmUnauthorized', nonRetryable: true });
  });

  it('refuses wrong client credentials as CrmUnauthorized', async () => {
    const salesforce = createSalesforceAdapter({ instanceUrl: sandbox.instanceUrl, loginUrl: sandbox.loginUrl, clientId: sandbox.clientId, clientSecret: 'wrong' });
    await expect(salesforce.listUsers()).rejects.toMatchObject({ type: 'CrmUnauthorized', nonRetryable: true });
  });

  it('gives up on a request that hangs and reports CrmUnavailable', async () => {
    sandbox.faults.failNext('timeout');
    const salesforce = createSalesforceAdapter({ instanceUrl: sandbox.instanceUrl, accessToken: sandbox.accessToken, requestTimeoutMs: 200 });
    await expect(salesforce.getLead({ leadId: '00Q8d0000000001AAA', fields: [] })).rejects.toMatchObject({ type: 'CrmUnavailable' });
  });
});
