/**
 * The sandbox refuses an owner the org cannot take, as Salesforce does: an id that is no user is an
 * INVALID_CROSS_REFERENCE_KEY on OwnerId, a deactivated user a 400 INACTIVE_OWNER_OR_USER. Driven
 * through jsforce, the client the bridge uses.
 */
import { Connection } from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSalesforceSandbox, type SalesforceSandbox } from '../sandbox';

describe('Salesforce sandbox: lead owners', () => {
  let sandbox: SalesforceSandbox;
  let conn: Connection;

  beforeAll(async () => {
    sandbox = await startSalesforceSandbox({});
    conn = new Connection({ instanceUrl: sandbox.instanceUrl, accessToken: sandbox.accessToken, version: '62.0' });
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('refuses an unknown owner id and a deactivated user, and takes the user back once re-activated', async () => {
    const rep = await conn.sobject('User').create({ Username: 'rep@owner.example', Email: 'rep@owner.example', LastName: 'Rep' });
    const lead = await conn.sobject('Lead').create({ LastName: 'Owned', Company: 'Acme' });
    if (!rep.success || !lead.success) throw new Error('setup failed');

    await expect(conn.sobject('Lead').update({ Id: lead.id, OwnerId: '005000000000999AAA' })).rejects.toMatchObject({ errorCode: 'INVALID_CROSS_REFERENCE_KEY' });

    await conn.sobject('User').update({ Id: rep.id, IsActive: false });
    const refused = await fetch(`${sandbox.instanceUrl}/services/data/v62.0/sobjects/Lead/${lead.id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${sandbox.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ OwnerId: rep.id }),
    });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual([{ errorCode: 'INACTIVE_OWNER_OR_USER', message: `operation performed with inactive user [${rep.id}] as owner of lead` }]);
    await expect(conn.sobject('Lead').create({ LastName: 'New', Company: 'Acme', OwnerId: rep.id })).rejects.toMatchObject({ errorCode: 'INACTIVE_OWNER_OR_USER' });
    expect(sandbox.store.find(lead.id)?.fields.OwnerId).toBe(sandbox.store.apiUserId);

    await conn.sobject('User').update({ Id: rep.id, IsActive: true });
    await conn.sobject('Lead').update({ Id: lead.id, OwnerId: rep.id });
    expect(sandbox.store.find(lead.id)?.fields.OwnerId).toBe(rep.id);
  });
});
