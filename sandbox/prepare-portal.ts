/**
 * Makes a contract live against the sandboxes, as RevOps would against real portals: the portal knows
 * the contract's properties and statuses, every rep exists as a Salesforce user and a HubSpot owner,
 * alerts go to a local chat endpoint, and the nurture list exists. Used by the tests and the demo.
 */
import { randomUUID } from 'node:crypto';
import type { Contract } from '../mappings/contract';
import type { Sandboxes } from './index';
import { configureHubSpotPortalFor } from './portal-schema';

export interface SandboxPortal {
  contract: Contract;
  nurtureListId: string;
}

/**
 * Returns a copy of `contract` whose reps are sandbox users (Slack alerts to `${chatUrl}/slack/<index>`,
 * breaches to `${chatUrl}/slack/manager`) and whose nurture lists exist in the HubSpot sandbox.
 */
export function prepareSandboxPortal(source: Contract, sandboxes: Sandboxes, chatUrl: string): SandboxPortal {
  const contract = structuredClone(source);
  configureHubSpotPortalFor(sandboxes.hubspot.store, contract);
  contract.routing.reps = contract.routing.reps.map((rep, index) => {
    const [firstName = 'Rep', ...rest] = rep.name.split(' ');
    const lastName = rest.join(' ') || 'Rep';
    const user = sandboxes.salesforce.store.create('User', {
      Username: `${rep.email}.${randomUUID().slice(0, 8)}`,
      Email: rep.email,
      FirstName: firstName,
      LastName: lastName,
      Alias: `rep${index}`,
      TimeZoneSidKey: rep.timeZone,
    });
    sandboxes.hubspot.store.addOwner({ email: rep.email, firstName, lastName });
    return { ...rep, id: user.id, outOfOffice: [], channels: { slack: `${chatUrl}/slack/${index}` } };
  });
  contract.handoff.alerts = [
    { channel: 'slack', target: 'rep', kinds: ['alert', 'reminder'] },
    { channel: 'slack', target: `${chatUrl}/slack/manager`, kinds: ['breach'] },
  ];
  const nurtureListId = sandboxes.hubspot.store.createList('Nurture');
  contract.handoff.revert.nurtureListId = nurtureListId;
  for (const reason of contract.rejectionTaxonomy) if (reason.nurtureListId) reason.nurtureListId = nurtureListId;
  return { contract, nurtureListId };
}

let contactSequence = 0;

/** Properties of a contact that meets the default contract's MQL definition and completeness bar. */
export function mqlContactProperties(overrides: Record<string, string> = {}): Record<string, string> {
  contactSequence += 1;
  const n = contactSequence;
  return {
    email: `lead${n}@acme${n}.example`,
    firstname: 'Ada',
    lastname: `Lovelace${n}`,
    company: `Acme ${n} GmbH`,
    jobtitle: 'Head of Data',
    country: 'Germany',
    numemployees: '400',
    hubspotscore: '75',
    hs_analytics_source: 'ORGANIC_SEARCH',
    lifecyclestage: 'marketingqualifiedlead',
    ...overrides,
  };
}
