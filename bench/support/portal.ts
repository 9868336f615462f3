/**
 * The sandboxes and the portal every benchmark and chaos run uses: both CRM sandboxes with their
 * rate limits, the default contract made live against them (reps as Salesforce users, alerts to a
 * local inbox), and working hours round the clock so a run at 3 a.m. measures the same path as one
 * at 10 a.m. (otherwise no rep is on shift and routing waits for the morning).
 */
import { loadContract } from '../../mappings/load';
import { contractSchema, type Contract } from '../../mappings/contract';
import { mqlContactProperties, prepareSandboxPortal } from '../../sandbox/prepare-portal';
import { startSandboxes, type Sandboxes } from '../../sandbox';
import type { HubSpotRateLimitConfig } from '../../sandbox/hubspot/rate-limits';

const ALL_DAY = [['00:00', '24:00'] as [string, string]];
const EVERY_DAY = { mon: ALL_DAY, tue: ALL_DAY, wed: ALL_DAY, thu: ALL_DAY, fri: ALL_DAY, sat: ALL_DAY, sun: ALL_DAY };

/** Working hours round the clock, for the business calendar and every rep, with no holidays. */
export function aroundTheClock(contract: Contract): void {
  contract.calendar.workingHours = EVERY_DAY;
  contract.calendar.holidays = [];
  for (const rep of contract.routing.reps) {
    rep.workingHours = EVERY_DAY;
    rep.holidays = [];
  }
}

export interface BenchPortalOptions {
  /** HubSpot limits; the sandbox's Professional limits (190 / 10 s) when unset. */
  hubspotLimits?: Partial<HubSpotRateLimitConfig>;
  /** Salesforce's rolling 24 h allocation; the sandbox's 115,000 when unset. */
  salesforceDailyLimit?: number;
  /** Where rep alerts go (an AlertInbox URL). */
  inboxUrl: string;
  /** Last changes to the contract (shorter windows for chaos runs, and so on). */
  tweak?: (contract: Contract) => void;
}

/** A demo request today: the default contract's first priority-lead predicate (normal MQLs score 75). */
export const HOT_LEAD_PROPERTIES = (): Record<string, string> => ({
  recent_conversion_date: new Date().toISOString(),
  recent_conversion_event_name: 'Request a demo',
  num_conversion_events: '1',
});

export interface BenchPortal {
  sandboxes: Sandboxes;
  contract: Contract;
  portalId: string;
  /** Creates a contact meeting the MQL definition (with `overrides`) and returns its id. */
  createMql(overrides?: Record<string, string>): string;
}

/** A portal id of its own per run, so handoff ids never collide on a shared server. */
function runPortalId(): number {
  return 10_000 + Math.floor(Math.random() * 89_999_999);
}

export async function startBenchPortal(options: BenchPortalOptions): Promise<BenchPortal> {
  const sandboxes = await startSandboxes({
    hubspot: { portalId: runPortalId(), ...(options.hubspotLimits ? { rateLimits: options.hubspotLimits } : {}) },
    salesforce: options.salesforceDailyLimit ? { dailyApiLimit: options.salesforceDailyLimit } : {},
  });
  const { contract } = prepareSandboxPortal(loadContract(), sandboxes, options.inboxUrl);
  aroundTheClock(contract);
  // No connector runs here: the bridge creates the Salesforce lead itself instead of waiting for it.
  contract.handoff.syncGraceMinutes = 0;
  options.tweak?.(contract);
  return {
    sandboxes,
    contract,
    portalId: sandboxes.hubspot.portalId,
    createMql: (overrides = {}) => sandboxes.hubspot.store.createContact(mqlContactProperties(overrides)).id,
  };
}

/** The contract as contract-file JSON (without derived fields), for a worker in another process. */
export function contractJson(contract: Contract): string {
  const { businessDayMinutes: _derived, ...calendar } = contract.calendar;
  return JSON.stringify({ ...contract, calendar });
}

export function contractFromJson(text: string): Contract {
  return contractSchema.parse(JSON.parse(text));
}
