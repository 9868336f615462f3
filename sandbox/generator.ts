/**
 * Reproducible demo and test data from a seed: reps with working hours and time zones (as HubSpot
 * owners and Salesforce users with the same email, which is how the connector matches owners) and
 * contacts with firmographics, engagement scores, sources and lifecycle stages.
 */
import { HUBSPOT_PROPERTIES as P } from '../mappings/crm';
import type { HubSpotStore } from './hubspot/contact-store';
import { seededRandom } from './random';
import type { SalesforceStore } from './salesforce/store';

export interface GeneratedRep {
  firstName: string;
  lastName: string;
  email: string;
  timeZone: string;
  territory: string;
  workingHours: { days: number[]; start: string; end: string };
}

export interface GeneratedDataset {
  reps: GeneratedRep[];
  contacts: Array<Record<string, string>>;
}

const FIRST = ['Ada', 'Ben', 'Chloe', 'Dev', 'Elena', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jamal', 'Kira', 'Luis', 'Maya', 'Noor', 'Omar', 'Priya'];
const LAST = ['Adams', 'Brennan', 'Costa', 'Dubois', 'Evans', 'Fischer', 'Garcia', 'Haddad', 'Ito', 'Jensen', 'Kowalski', 'Lopez', 'Moreau', 'Nakamura'];
const ZONES = [
  { timeZone: 'America/New_York', territory: 'NA-East', country: 'United States' },
  { timeZone: 'America/Los_Angeles', territory: 'NA-West', country: 'United States' },
  { timeZone: 'Europe/London', territory: 'EMEA', country: 'United Kingdom' },
  { timeZone: 'Europe/Berlin', territory: 'EMEA', country: 'Germany' },
  { timeZone: 'Asia/Singapore', territory: 'APAC', country: 'Singapore' },
] as const;
const INDUSTRIES = ['Software', 'Financial Services', 'Healthcare', 'Manufacturing', 'Retail', 'Education'];
const TITLES = ['VP Marketing', 'Head of Sales', 'CTO', 'Marketing Manager', 'RevOps Lead', 'Director of IT', 'Analyst'];
const SOURCES = ['ORGANIC_SEARCH', 'PAID_SEARCH', 'EMAIL_MARKETING', 'SOCIAL_MEDIA', 'REFERRALS', 'DIRECT_TRAFFIC', 'OFFLINE'];
const COMPANY_WORDS = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Vandelay', 'Stark', 'Wayne', 'Tyrell', 'Cyberdyne'];
const COMPANY_SUFFIX = ['Inc', 'GmbH', 'Ltd', 'Labs', 'Systems', 'Group'];

export function generateDataset(options: { seed: number; reps: number; contacts: number }): GeneratedDataset {
  const random = seededRandom(options.seed);
  const reps = Array.from({ length: options.reps }, (_, i): GeneratedRep => {
    const zone = random.pick(ZONES);
    const firstName = random.pick(FIRST);
    const lastName = random.pick(LAST);
    const start = random.int(7, 10);
    return {
      firstName,
      lastName,
      email: `${firstName}.${lastName}.${i}@sales.example`.toLowerCase(),
      timeZone: zone.timeZone,
      territory: zone.territory,
      workingHours: { days: [1, 2, 3, 4, 5], start: `${String(start).padStart(2, '0')}:00`, end: `${String(start + 8).padStart(2, '0')}:00` },
    };
  });
  const contacts = Array.from({ length: options.contacts }, (_, i) => {
    const firstName = random.pick(FIRST);
    const lastName = random.pick(LAST);
    const company = `${random.pick(COMPANY_WORDS)} ${random.pick(COMPANY_SUFFIX)}`;
    const score = random.int(0, 100);
    return {
      [P.email]: `${firstName}.${lastName}.${i}@${company.split(' ')[0]?.toLowerCase() ?? 'co'}.example`.toLowerCase(),
      [P.firstName]: firstName,
      [P.lastName]: lastName,
      [P.company]: company,
      [P.jobTitle]: random.pick(TITLES),
      [P.country]: random.pick(ZONES).country,
      [P.industry]: random.pick(INDUSTRIES),
      [P.employees]: String(random.pick([12, 45, 120, 480, 1500, 8000])),
      [P.leadSource]: random.pick(SOURCES),
      [P.score]: String(score),
      [P.lifecycleStage]: score >= 60 ? 'marketingqualifiedlead' : random.pick(['subscriber', 'lead']),
      [P.leadStatus]: 'NEW',
    };
  });
  return { reps, contacts };
}

/** Loads a dataset into the two sandboxes' stores; returns the ids it created. */
export function seedSandboxes(dataset: GeneratedDataset, stores: { hubspot: HubSpotStore; salesforce: SalesforceStore }): {
  ownerIds: string[];
  userIds: string[];
  contactIds: string[];
} {
  const ownerIds = dataset.reps.map((rep) => stores.hubspot.addOwner({ email: rep.email, firstName: rep.firstName, lastName: rep.lastName }).id);
  const userIds = dataset.reps.map(
    (rep) =>
      stores.salesforce.create('User', { Username: rep.email, Email: rep.email, FirstName: rep.firstName, LastName: rep.lastName, TimeZoneSidKey: rep.timeZone }).id,
  );
  const contactIds = dataset.contacts.map((properties) => stores.hubspot.createContact(properties, 'IMPORT').id);
  return { ownerIds, userIds, contactIds };
}
