import { afterEach, describe, expect, it } from 'vitest';
import type { FieldMapping } from '../mappings/contract';
import { createConnector, HubSpotStore, SalesforceStore, type Connector } from '../sandbox';

const mappings: FieldMapping[] = [
  { hubspot: 'email', salesforce: 'Email', rule: 'always_hubspot' },
  { hubspot: 'lastname', salesforce: 'LastName', rule: 'two_way' },
  { hubspot: 'company', salesforce: 'Company', rule: 'two_way' },
  { hubspot: 'jobtitle', salesforce: 'Title', rule: 'two_way' },
  { hubspot: 'lifecyclestage', salesforce: 'HubSpot_Lifecycle_Stage__c', rule: 'two_way' },
  {
    hubspot: 'hs_lead_status',
    salesforce: 'Status',
    rule: 'prefer_salesforce_unless_blank',
    valueMap: { NEW: 'Open - Not Contacted', IN_PROGRESS: 'Working - Contacted', UNQUALIFIED: 'Closed - Not Converted' },
  },
  { hubspot: 'hubspot_owner_id', salesforce: 'OwnerId', rule: 'two_way' },
];

/** Both sandboxes on one hand-moved clock, so "who wrote last" is decided by the test. */
function setup() {
  let now = Date.parse('2026-05-04T08:00:00.000Z');
  const clock = () => now;
  const tick = (ms = 1000) => (now += ms);
  const hubspot = new HubSpotStore(clock);
  const salesforce = new SalesforceStore(clock);
  const connector = createConnector({
    hubspot,
    salesforce,
    clock,
    config: { cycleMs: 60_000, fieldMappings: mappings, inclusion: (p) => p.lifecyclestage !== 'subscriber' },
  });
  return { hubspot, salesforce, connector, tick };
}

describe('the emulated native connector', () => {
  let connector: Connector | undefined;
  afterEach(async () => {
    await connector?.stop();
  });

  it('creates a lead for an included contact and writes its id back to HubSpot', async () => {
    const world = setup();
    connector = world.connector;
    const contact = world.hubspot.createContact({ email: 'kim@acme.example', lastname: 'Kim', company: 'Acme', lifecyclestage: 'lead', hs_lead_status: 'NEW' });
    await world.connector.syncNow();
    const leadId = world.hubspot.value(contact.id, 'salesforceleadid');
    expect(leadId).toMatch(/^00Q/);
    expect(world.salesforce.find(leadId ?? '')?.fields).toMatchObject({ Email: 'kim@acme.example', LastName: 'Kim', Company: 'Acme', Status: 'Open - Not Contacted', HubSpot_Lifecycle_Stage__c: 'lead' });
    expect(world.hubspot.get(contact.id)?.history.get('salesforceleadid')?.[0]?.sourceType).toBe('SALESFORCE');
    expect(world.connector.stats().leadsCreated).toBe(1);
  });

  it('leaves contacts outside the inclusion list alone', async () => {
    const world = setup();
    connector = world.connector;
    const contact = world.hubspot.createContact({ email: 'sub@acme.example', lastname: 'Sub', lifecyclestage: 'subscriber' });
    await world.connector.syncNow();
    expect(world.hubspot.value(contact.id, 'salesforceleadid')).toBeNull();
    expect(world.salesforce.list('Lead')).toHaveLength(0);
  });

  it('lets the last writer win on a two-way field, so the value flip-flops between systems', async () => {
    const world = setup();
    connector = world.connector;
    const contact = world.hubspot.createContact({ email: 'lee@acme.example', lastname: 'Lee', company: 'Acme', lifecyclestage: 'lead', jobtitle: 'CTO' });
    await world.connector.syncNow();
    const leadId = world.hubspot.value(contact.id, 'salesforceleadid') ?? '';

    world.tick();
    world.hubspot.update(contact.id, { jobtitle: 'VP Engineering' });
    world.tick();
    world.salesforce.update('Lead', leadId, { Title: 'Head of Platform' });
    await world.connector.syncNow();
    expect(world.hubspot.value(contact.id, 'jobtitle')).toBe('Head of Platform');

    world.tick();
    world.hubspot.update(contact.id, { jobtitle: 'VP Engineering' });
    await world.connector.syncNow();
    expect(world.salesforce.find(leadId)?.fields.Title).toBe('VP Engineering');

    const flips = world.connector.writes().filter((w) => w.hubspot === 'jobtitle').map((w) => `${w.direction}:${w.value ?? ''}`);
    expect(flips).toEqual(['toHubSpot:Head of Platform', 'toSalesforce:VP Engineering']);
  });

  it('refuses to move the HubSpot lifecycle stage backwards and records the regression', async () => {
    const world = setup();
    connector = world.connector;
    const contact = world.hubspot.createContact({ email: 'ray@acme.example', lastname: 'Ray', company: 'Acme', lifecyclestage: 'lead' });
    await world.connector.syncNow();
    const leadId = world.hubspot.value(contact.id, 'salesforceleadid') ?? '';
    world.tick();
    world.hubspot.update(contact.id, { lifecyclestage: 'salesqualifiedlead' });
    await world.connector.syncNow();
    expect(world.salesforce.find(leadId)?.fields.HubSpot_Lifecycle_Stage__c).toBe('salesqualifiedlead');

    world.tick();
    world.salesforce.update('Lead', leadId, { HubSpot_Lifecycle_Stage__c: 'lead' });
    await world.connector.syncNow();
    expect(world.hubspot.value(contact.id, 'lifecyclestage')).toBe('salesqualifiedlead');
    expect(world.connector.stats().regressionsRefused).toBe(1);
    expect(world.connector.syncErrors().filter((e) => e.field === 'lifecyclestage')).toEqual([expect.objectContaining({ contactId: contact.id, code: 'LIFECYCLE_REGRESSION' })]);
  });

  it('records a picklist value without a mapping as a sync error instead of writing it', async () => {
    const world = setup();
    connector = world.connector;
    const contact = world.hubspot.createContact({ email: 'eve@acme.example', lastname: 'Eve', company: 'Acme', lifecyclestage: 'lead' });
    await world.connector.syncNow();
    const leadId = world.hubspot.value(contact.id, 'salesforceleadid') ?? '';
    expect(world.hubspot.value(contact.id, 'hs_lead_status')).toBe('NEW');
    world.tick();
    world.salesforce.update('Lead', leadId, { Status: 'Closed - Converted' });
    await world.connector.syncNow();
    expect(world.hubspot.value(contact.id, 'hs_lead_status')).toBe('NEW');
    expect(world.connector.syncErrors().filter((e) => e.field === 'hs_lead_status')).toEqual([expect.objectContaining({ code: 'PICKLIST_UNMAPPED' })]);
  });

  it('moves owners by matching HubSpot owners and Salesforce users on email', async () => {
    const world = setup();
    connector = world.connector;
    const owner = world.hubspot.addOwner({ email: 'rep@corp.example', firstName: 'Rep', lastName: 'One' });
    const user = world.salesforce.create('User', { Username: 'rep@corp.example', Email: 'rep@corp.example', LastName: 'One' });
    const contact = world.hubspot.createContact({ email: 'sam@acme.example', lastname: 'Sam', company: 'Acme', lifecyclestage: 'lead', hubspot_owner_id: owner.id });
    await world.connector.syncNow();
    expect(world.salesforce.find(world.hubspot.value(contact.id, 'salesforceleadid') ?? '')?.fields.OwnerId).toBe(user.id);
    expect(world.connector.syncErrors().filter((e) => e.code === 'OWNER_UNMATCHED')).toEqual([]);
  });

  it('runs on its own cycle once started', async () => {
    const world = setup();
    connector = createConnector({ hubspot: world.hubspot, salesforce: world.salesforce, config: { cycleMs: 20, fieldMappings: mappings, inclusion: () => true } });
    world.hubspot.createContact({ email: 'auto@acme.example', lastname: 'Auto', company: 'Acme' });
    connector.start();
    await expect.poll(() => world.salesforce.list('Lead').length, { timeout: 5_000 }).toBe(1);
    expect(connector.stats().cycles).toBeGreaterThan(0);
  });
});
