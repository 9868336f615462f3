import { createServer, type IncomingMessage, type Server } from 'node:http';
import { Signature } from '@hubspot/api-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startHubSpotSandbox, type HubSpotSandbox } from '../sandbox';

describe('the HubSpot sandbox on the wire', () => {
  let sandbox: HubSpotSandbox;
  const call = (path: string, init: RequestInit = {}, token = sandbox.accessToken) =>
    fetch(`${sandbox.baseUrl}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers } });

  beforeAll(async () => {
    sandbox = await startHubSpotSandbox({ rateLimits: { searchPerSecond: 1000 }, searchLagMs: 0 });
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('answers JSON with HubSpot error bodies, errors included', async () => {
    const unauthenticated = await call('/crm/v3/objects/contacts/1', {}, 'wrong');
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await unauthenticated.json()) as { status: string; category: string; correlationId: unknown };
    expect([body.status, body.category, typeof body.correlationId]).toEqual(['error', 'INVALID_AUTHENTICATION', 'string']);
    const missing = await call('/crm/v3/objects/contacts/424242');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ status: 'error', category: 'OBJECT_NOT_FOUND' });
  });

  it('ignores an earlier lifecycle stage unless the property was cleared first', async () => {
    const contact = sandbox.store.createContact({ email: 'a@b.example', lifecyclestage: 'opportunity' });
    const patch = (stage: string) => call(`/crm/v3/objects/contacts/${contact.id}`, { method: 'PATCH', body: JSON.stringify({ properties: { lifecyclestage: stage } }) });
    expect((await patch('lead')).status).toBe(200);
    expect(sandbox.store.value(contact.id, 'lifecyclestage')).toBe('opportunity');
    await patch('');
    await patch('lead');
    expect(sandbox.store.value(contact.id, 'lifecyclestage')).toBe('lead');
    expect(sandbox.store.value(contact.id, 'hs_lifecyclestage_lead_date')).not.toBeNull();
  });

  it('validates lifecycle and lead-status values and unknown properties', async () => {
    const contact = sandbox.store.createContact({ email: 'v@b.example' });
    const response = await call(`/crm/v3/objects/contacts/${contact.id}`, { method: 'PATCH', body: JSON.stringify({ properties: { hs_lead_status: 'HOT', nope: 'x' } }) });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { category: string; errors: Array<{ code: string }> };
    expect(body.category).toBe('VALIDATION_ERROR');
    expect(body.errors.map((e) => e.code)).toEqual(['INVALID_OPTION', 'PROPERTY_DOESNT_EXIST']);
  });

  it('returns property history, newest first', async () => {
    const contact = sandbox.store.createContact({ jobtitle: 'Engineer' });
    sandbox.store.update(contact.id, { jobtitle: 'Lead Engineer' }, 'INTEGRATION');
    const response = await call(`/crm/v3/objects/contacts/${contact.id}?propertiesWithHistory=jobtitle`);
    const body = (await response.json()) as { propertiesWithHistory: { jobtitle: Array<{ value: string; sourceType: string }> } };
    expect(body.propertiesWithHistory.jobtitle.map((v) => [v.value, v.sourceType])).toEqual([
      ['Lead Engineer', 'INTEGRATION'],
      ['Engineer', 'CRM_UI'],
    ]);
  });

  it('refuses search pages above 200 and paging past 10,000 results', async () => {
    const search = (body: object) => call('/crm/v3/objects/contacts/search', { method: 'POST', body: JSON.stringify(body) });
    expect((await search({ limit: 201 })).status).toBe(400);
    expect((await search({ limit: 100, after: '9950' })).status).toBe(400);
    expect((await search({ limit: 50, after: '9950' })).status).toBe(200);
  });

  it('matches HubSpot search operators', async () => {
    const ids = ['alpha one', 'beta two', 'gamma'].map((name, i) => sandbox.store.createContact({ company: `OpCo ${name}`, hubspotscore: String(i * 50), industry: i === 2 ? '' : 'SaaS' }).id);
    const search = async (filters: object[]) => {
      const response = await call('/crm/v3/objects/contacts/search', { method: 'POST', body: JSON.stringify({ filterGroups: [{ filters: [{ propertyName: 'company', operator: 'CONTAINS_TOKEN', value: 'opco' }, ...filters] }], limit: 10 }) });
      return ((await response.json()) as { results: Array<{ id: string }> }).results.map((r) => r.id);
    };
    expect(await search([{ propertyName: 'hubspotscore', operator: 'BETWEEN', value: '10', highValue: '100' }])).toEqual([ids[1], ids[2]]);
    expect(await search([{ propertyName: 'industry', operator: 'NOT_HAS_PROPERTY' }])).toEqual([ids[2]]);
    expect(await search([{ propertyName: 'company', operator: 'IN', values: ['opco gamma', 'OpCo alpha one'] }])).toEqual([ids[0], ids[2]]);
    expect(await search([{ propertyName: 'company', operator: 'CONTAINS_TOKEN', value: 'bet*' }])).toEqual([ids[1]]);
  });
});

describe('the HubSpot sandbox rate limits', () => {
  let sandbox: HubSpotSandbox;
  beforeAll(async () => {
    sandbox = await startHubSpotSandbox({ rateLimits: { tenSecondly: 3, windowMs: 10_000, searchPerSecond: 1 }, searchLagMs: 0 });
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('answers 429 with the policy name and the X-HubSpot-RateLimit headers', async () => {
    const get = () => fetch(`${sandbox.baseUrl}/crm/v3/owners`, { headers: { authorization: `Bearer ${sandbox.accessToken}` } });
    const first = await get();
    expect(first.headers.get('x-hubspot-ratelimit-max')).toBe('3');
    expect(first.headers.get('x-hubspot-ratelimit-remaining')).toBe('2');
    await get();
    await get();
    const limited = await get();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-hubspot-ratelimit-remaining')).toBe('0');
    expect(limited.headers.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('10000');
    expect(await limited.json()).toMatchObject({ status: 'error', errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING' });
  });

  it('limits search separately, per second', async () => {
    const search = () => fetch(`${sandbox.baseUrl}/crm/v3/objects/contacts/search`, { method: 'POST', headers: { authorization: `Bearer ${sandbox.accessToken}`, 'content-type': 'application/json' }, body: '{}' });
    expect((await search()).status).toBe(200);
    const limited = await search();
    expect(limited.status).toBe(429);
    expect(await limited.json()).toMatchObject({ policyName: 'SECONDLY' });
  });

  it('switches faults at run time through the admin route', async () => {
    const put = await fetch(`${sandbox.baseUrl}/__sandbox/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ serverErrorRate: 1 }) });
    expect(await put.json()).toMatchObject({ serverErrorRate: 1 });
    const response = await fetch(`${sandbox.baseUrl}/crm/v3/objects/contacts/1`, { headers: { authorization: `Bearer ${sandbox.accessToken}` } });
    expect(response.status).toBe(502);
    await fetch(`${sandbox.baseUrl}/__sandbox/faults/reset`, { method: 'POST' });
    expect(sandbox.faults.get().serverErrorRate).toBe(0);
  });
});

describe('HubSpot sandbox webhooks', () => {
  let receiver: Server;
  let targetUrl: string;
  const received: Array<{ body: string; headers: IncomingMessage['headers']; status: number }> = [];
  let failuresToServe = 0;
  let sandbox: HubSpotSandbox | undefined;

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        const status = failuresToServe-- > 0 ? 503 : 204;
        received.push({ body, headers: request.headers, status });
        response.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const address = receiver.address();
    targetUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hubspot/webhooks`;
  });
  afterEach(async () => {
    await sandbox?.stop();
    received.length = 0;
  });
  afterAll(async () => {
    await new Promise((resolve) => receiver.close(resolve));
  });

  it('posts batched property-change events signed with the v3 signature', async () => {
    sandbox = await startHubSpotSandbox({ webhooks: { targetUrl, subscriptions: [{ id: 77, propertyName: 'lifecyclestage' }], batchWindowMs: 20 } });
    const contact = sandbox.store.createContact({ email: 'w@b.example', lifecyclestage: 'lead' });
    sandbox.store.update(contact.id, { lifecyclestage: 'marketingqualifiedlead', jobtitle: 'CEO' }, 'API');
    await sandbox.webhooks.idle();
    expect(received).toHaveLength(1);
    const delivery = received[0];
    const events = JSON.parse(delivery?.body ?? '[]') as Array<Record<string, unknown>>;
    expect(events).toEqual([
      expect.objectContaining({ subscriptionId: 77, subscriptionType: 'contact.propertyChange', objectId: Number(contact.id), propertyName: 'lifecyclestage', propertyValue: 'lead', changeSource: 'CRM_UI', attemptNumber: 0, portalId: 4402 }),
      expect.objectContaining({ propertyValue: 'marketingqualifiedlead', changeSource: 'API' }),
    ]);
    const valid = Signature.isValid({
      signatureVersion: 'v3',
      signature: String(delivery?.headers['x-hubspot-signature-v3']),
      clientSecret: sandbox.clientSecret,
      requestBody: delivery?.body ?? '',
      url: targetUrl,
      method: 'POST',
      timestamp: Number(delivery?.headers['x-hubspot-request-timestamp']),
    });
    expect(valid).toBe(true);
  });

  it('retries a failed delivery with a growing attempt number', async () => {
    failuresToServe = 2;
    sandbox = await startHubSpotSandbox({ webhooks: { targetUrl, subscriptions: [{ id: 1, propertyName: 'hs_lead_status' }], batchWindowMs: 5, retryBaseMs: 20 } });
    sandbox.store.createContact({ hs_lead_status: 'NEW' });
    await sandbox.webhooks.idle();
    expect(received.map((r) => r.status)).toEqual([503, 503, 204]);
    expect(received.map((r) => (JSON.parse(r.body) as Array<{ attemptNumber: number }>)[0]?.attemptNumber)).toEqual([0, 1, 2]);
    expect(sandbox.webhooks.stats()).toMatchObject({ delivered: 1, failedAttempts: 2, dropped: 0 });
  });
});
