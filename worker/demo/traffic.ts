/**
 * Marketing's side of the simulation: contacts exist in HubSpot as leads, and at a steady pace one of
 * them becomes an MQL (HubSpot's lifecycle stage moves, its webhook reaches the bridge's ingress).
 * Contacts fit the demo contract's MQL definition; those planned as incomplete miss their first
 * name: a required field the MQL definition does not look at, and one the connector does not fill
 * (it writes "[not provided]" into a missing company, which then syncs back into HubSpot).
 */
import { HUBSPOT_PROPERTIES as P } from '../../mappings/crm';
import type { HubSpotStore } from '../../sandbox/hubspot/contact-store';
import { generateDataset } from '../../sandbox/generator';
import { seededRandom } from '../../sandbox/random';
import type { PlannedLead } from './lead-plan';

/** Values the default contract's MQL fit accepts (company size 50–5000, a served market). */
const MARKETS = ['United Kingdom', 'Ireland', 'Germany', 'France', 'Netherlands'];
const COMPANY_SIZES = ['80', '120', '480', '1500', '4200'];

export interface Traffic {
  /** HubSpot contact id by plan index. */
  contactIds: string[];
  /** How many leads have become MQLs so far. */
  released(): number;
  /** Resolves once every planned lead is an MQL (or the traffic was stopped). */
  run(): Promise<void>;
  stop(): void;
}

export function createTraffic(options: { store: HubSpotStore; plan: PlannedLead[]; paceMs: number; seed: number }): Traffic {
  const random = seededRandom(options.seed + 1);
  const people = generateDataset({ seed: options.seed, reps: 0, contacts: options.plan.length }).contacts;
  const contactIds = options.plan.map((lead, i) => {
    const person = people[i] ?? {};
    const properties: Record<string, string> = {
      ...person,
      [P.country]: random.pick(MARKETS),
      [P.employees]: random.pick(COMPANY_SIZES),
      [P.score]: String(random.int(60, 98)),
      [P.lifecycleStage]: 'lead',
      [P.leadStatus]: 'NEW',
    };
    if (lead.outcome === 'returned_incomplete') delete properties[P.firstName];
    return options.store.createContact(properties, 'IMPORT').id;
  });

  let released = 0;
  let stopped = false;
  let wake: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      wake = resolve;
      timer = setTimeout(resolve, ms);
    });

  return {
    contactIds,
    released: () => released,
    async run() {
      for (const contactId of contactIds) {
        if (stopped) return;
        options.store.update(contactId, { [P.lifecycleStage]: 'marketingqualifiedlead' }, 'CRM_UI');
        released += 1;
        if (released < contactIds.length) await pause(options.paceMs);
      }
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      wake?.();
    },
  };
}
