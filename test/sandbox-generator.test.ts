import { describe, expect, it } from 'vitest';
import { HubSpotStore, SalesforceStore } from '../sandbox';
import { generateDataset, seedSandboxes } from '../sandbox/generator';

describe('the seeded data generator', () => {
  it('produces the same reps and contacts from the same seed, and different ones from another', () => {
    const a = generateDataset({ seed: 7, reps: 4, contacts: 50 });
    expect(generateDataset({ seed: 7, reps: 4, contacts: 50 })).toEqual(a);
    expect(generateDataset({ seed: 8, reps: 4, contacts: 50 })).not.toEqual(a);
    expect(a.reps[0]?.timeZone).toMatch(/^[A-Z][a-z]+\/[A-Za-z_]+$/);
    expect(a.reps[0]?.workingHours.days).toEqual([1, 2, 3, 4, 5]);
    expect(a.reps[0]?.workingHours.start).toMatch(/^\d\d:00$/);
    expect(new Set(a.contacts.map((c) => c.email)).size).toBe(50);
  });

  it('seeds valid contacts, owners and matching Salesforce users', () => {
    const dataset = generateDataset({ seed: 3, reps: 3, contacts: 20 });
    const hubspot = new HubSpotStore();
    const salesforce = new SalesforceStore();
    const seeded = seedSandboxes(dataset, { hubspot, salesforce });
    expect(seeded.contactIds).toHaveLength(20);
    expect([...hubspot.owners.values()].map((o) => o.email)).toEqual(salesforce.list('User').slice(1).map((u) => u.fields.Email));
  });
});
