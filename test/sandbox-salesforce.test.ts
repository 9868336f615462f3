import { generateKeyPairSync, sign } from 'node:crypto';
import { Connection } from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SalesforceStore, startSalesforceSandbox, type SalesforceSandbox } from '../sandbox';
import { evaluateQuery } from '../sandbox/salesforce/soql/evaluate';
import { parseSoql } from '../sandbox/salesforce/soql/parser';

describe('the sandbox SOQL subset', () => {
  const store = new SalesforceStore(() => Date.parse('2026-02-01T10:00:00.000Z'));
  const names = ['Ada', 'Bo', "O'Hara", 'Cy'];
  for (const [i, name] of names.entries()) {
    store.create('Lead', { LastName: name, Company: i % 2 ? 'Beta' : 'Acme', NumberOfEmployees: i * 100, ...(i === 3 ? {} : { Email: `${i}@x.example` }) });
  }
  const run = (soql: string) => evaluateQuery(parseSoql(soql), (type) => store.list(type)).rows.map((r) => r.values.LastName);

  it('filters with AND, OR and parentheses, comparisons, IN, LIKE and NULL', () => {
    expect(run("SELECT LastName FROM Lead WHERE (Company = 'acme' OR NumberOfEmployees >= 300) AND Email != null ORDER BY LastName")).toEqual(['Ada', "O'Hara"]);
    expect(run("SELECT LastName FROM Lead WHERE Company IN ('Beta') AND NOT LastName LIKE 'c%' ORDER BY LastName DESC")).toEqual(['Bo']);
    expect(run("SELECT LastName FROM Lead WHERE LastName = 'O\\'Hara'")).toEqual(["O'Hara"]);
    expect(run('SELECT LastName FROM Lead WHERE Email = NULL')).toEqual(['Cy']);
    expect(run("SELECT LastName FROM Lead WHERE LastName NOT IN ('Ada', 'Bo') ORDER BY NumberOfEmployees DESC LIMIT 1")).toEqual(['Cy']);
  });

  it('matches 15- and 18-character ids in Id IN lists, and refuses a filter value that is no id at all', () => {
    const ada = store.list('Lead').find((l) => l.fields.LastName === 'Ada');
    const bo = store.list('Lead').find((l) => l.fields.LastName === 'Bo');
    expect(run(`SELECT LastName FROM Lead WHERE Id IN ('${ada?.id.slice(0, 15) ?? ''}', '${bo?.id ?? ''}') ORDER BY LastName`)).toEqual(['Ada', 'Bo']);
    expect(() => run("SELECT LastName FROM Lead WHERE Id IN ('not-an-id')")).toThrow(/invalid ID field: not-an-id/);
    expect(() => run("SELECT Subject FROM Task WHERE WhoId = 'x'")).toThrow(expect.objectContaining({ errorCode: 'INVALID_QUERY_FILTER_OPERATOR' }));
  });

  it('compares date-times as unquoted literals, to the second', () => {
    expect(run('SELECT LastName FROM Lead WHERE CreatedDate = 2026-02-01T10:00:00Z')).toHaveLength(4);
    expect(run('SELECT LastName FROM Lead WHERE CreatedDate > 2026-02-01T09:59:59.999Z')).toHaveLength(4);
    expect(() => run("SELECT LastName FROM Lead WHERE CreatedDate > '2026-02-01T09:00:00Z'")).toThrow(/must be of type dateTime and should not be enclosed in quotes/);
  });

  it('refuses AND mixed with OR without parentheses, unknown fields and unknown objects', () => {
    expect(() => parseSoql("SELECT Id FROM Lead WHERE Company = 'a' AND LastName = 'b' OR Email = null")).toThrow(/parentheses/);
    expect(() => run('SELECT Nope FROM Lead')).toThrow(/No such column 'Nope'/);
    expect(() => run('SELECT Id FROM Widget__c')).toThrow(/not supported/);
  });
});

describe('the Salesforce sandbox on the wire', () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  let sandbox: SalesforceSandbox;
  let conn: Connection;
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${sandbox.instanceUrl}/services/data/v62.0${path}`, { ...init, headers: { authorization: `Bearer ${sandbox.accessToken}`, 'content-type': 'application/json', ...init.headers } });

  beforeAll(async () => {
    sandbox = await startSalesforceSandbox({ jwtPublicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString() });
    conn = new Connection({ instanceUrl: sandbox.instanceUrl, accessToken: sandbox.accessToken, version: '62.0' });
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('issues a session for a signed JWT bearer assertion and refuses a forged one', async () => {
    sandbox.store.create('User', { Username: 'svc@corp.example', Email: 'svc@corp.example', LastName: 'Svc' });
    const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
    const unsigned = `${encode({ alg: 'RS256' })}.${encode({ iss: sandbox.clientId, sub: 'svc@corp.example', aud: sandbox.loginUrl, exp: Math.floor(Date.now() / 1000) + 120 })}`;
    const assertion = `${unsigned}.${sign('RSA-SHA256', Buffer.from(unsigned), privateKey).toString('base64url')}`;
    const jwtConn = new Connection({ loginUrl: sandbox.loginUrl, version: '62.0' });
    const identity = await jwtConn.authorize({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion });
    expect(identity.id).toBe(sandbox.store.list('User').find((u) => u.fields.Username === 'svc@corp.example')?.id);
    await expect(new Connection({ loginUrl: sandbox.loginUrl }).authorize({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: `${unsigned}.AAAA` })).rejects.toThrow();
  });

  it('reports API usage in Sforce-Limit-Info', async () => {
    const response = await api('/limits');
    expect(response.headers.get('sforce-limit-info')).toMatch(/^api-usage=\d+\/115000$/);
  });

  it('rolls a whole collection back under allOrNone and answers per-record errors with statusCode', async () => {
    const results = await conn.sobject('Lead').create(
      [
        { LastName: 'Good', Company: 'Acme' },
        { LastName: 'Bad', Company: 'Acme', Status: 'Nope' },
      ],
      { allOrNone: true },
    );
    expect(results.map((r) => (r.success ? 'ok' : (r.errors[0] as unknown as { statusCode: string }).statusCode))).toEqual([
      'ALL_OR_NONE_OPERATION_ROLLED_BACK',
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
    ]);
    expect(sandbox.store.list('Lead').filter((l) => l.fields.LastName === 'Good')).toHaveLength(0);
  });

  it('upserts a collection by external id with per-record results, created flags and errors', async () => {
    sandbox.store.create('Lead', { LastName: 'Existing', Company: 'Acme', HubSpot_Contact_Id__c: 'ext-1' });
    const response = await api('/composite/sobjects/Lead/HubSpot_Contact_Id__c', {
      method: 'PATCH',
      body: JSON.stringify({
        allOrNone: false,
        records: [
          { attributes: { type: 'Lead' }, HubSpot_Contact_Id__c: 'ext-1', Company: 'Acme Corp' },
          { attributes: { type: 'Lead' }, HubSpot_Contact_Id__c: 'ext-2', LastName: 'New', Company: 'Acme' },
          { attributes: { type: 'Lead' }, HubSpot_Contact_Id__c: 'ext-3', LastName: 'Bad', Company: 'Acme', Status: 'Nope' },
        ],
      }),
    });
    expect(response.status).toBe(200);
    const results = (await response.json()) as Array<{ id?: string; success: boolean; created?: boolean; errors: Array<{ statusCode: string; fields: string[] }> }>;
    expect(results.map((r) => ({ success: r.success, created: r.created, codes: r.errors.map((e) => e.statusCode) }))).toEqual([
      { success: true, created: false, codes: [] },
      { success: true, created: true, codes: [] },
      { success: false, created: undefined, codes: ['INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST'] },
    ]);
    expect(sandbox.store.find(results[0]?.id ?? '')?.fields.Company).toBe('Acme Corp');
    expect(sandbox.store.list('Lead').filter((l) => l.fields.HubSpot_Contact_Id__c === 'ext-3')).toHaveLength(0);
  });

  it('refuses more than 200 records in a collection and unknown fields', async () => {
    const tooMany = await api('/composite/sobjects', { method: 'POST', body: JSON.stringify({ records: Array.from({ length: 201 }, () => ({ attributes: { type: 'Lead' }, LastName: 'x', Company: 'y' })) }) });
    expect(tooMany.status).toBe(400);
    expect(await tooMany.json()).toEqual([expect.objectContaining({ errorCode: 'EXCEEDED_ID_LIMIT' })]);
    await expect(conn.sobject('Lead').create({ LastName: 'x', Company: 'y', Shoe_Size__c: 9 })).rejects.toMatchObject({ errorCode: 'INVALID_FIELD' });
  });

  it('converts a lead through the convertLead action and freezes it', async () => {
    const lead = sandbox.store.create('Lead', { LastName: 'Conv', Company: 'Acme' });
    const response = await api('/actions/standard/convertLead', { method: 'POST', body: JSON.stringify({ inputs: [{ leadId: lead.id, convertedStatus: 'Closed - Converted' }] }) });
    const [result] = (await response.json()) as Array<{ isSuccess: boolean; outputValues: { opportunityId: string } }>;
    expect(result?.isSuccess).toBe(true);
    expect(sandbox.store.find(lead.id)?.fields).toMatchObject({ IsConverted: true, Status: 'Closed - Converted', ConvertedOpportunityId: result?.outputValues.opportunityId });
    await expect(conn.sobject('Lead').update({ Id: lead.id, Title: 'x' })).rejects.toMatchObject({ errorCode: 'CANNOT_UPDATE_CONVERTED_LEAD' });
  });

  it('keeps SystemModstamp and LastModifiedDate moving on every write', async () => {
    let now = Date.parse('2026-06-01T00:00:00.000Z');
    const store = new SalesforceStore(() => now);
    const lead = store.create('Lead', { LastName: 'Stamp', Company: 'Acme' });
    now += 5_000;
    store.update('Lead', lead.id, { Title: 'CTO' });
    expect(lead.fields).toMatchObject({ CreatedDate: '2026-06-01T00:00:00.000+0000', SystemModstamp: '2026-06-01T00:00:05.000+0000', LastModifiedDate: '2026-06-01T00:00:05.000+0000' });
  });

  it('refuses a data call once the daily allocation is spent', async () => {
    const small = await startSalesforceSandbox({ dailyApiLimit: 1 });
    try {
      const get = () => fetch(`${small.instanceUrl}/services/data/v62.0/limits`, { headers: { authorization: `Bearer ${small.accessToken}` } });
      expect((await get()).status).toBe(200);
      const refused = await get();
      expect(refused.status).toBe(403);
      expect(await refused.json()).toEqual([{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
    } finally {
      await small.stop();
    }
  });
});
