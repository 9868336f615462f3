import { describe, expect, it } from 'vitest';
import { capacityReason, chooseRep, initialRotation, recordAssignment, releaseLead, repBackAt, rotationPolicyOf, routingWait, type RotationState, type RoutingLoad, rotationStateSchema } from '../mappings/routing';
import { parseContract } from '../mappings/load';
import type { Contract } from '../mappings/contract';
import { variant, variantText } from './contract-fixtures';

const hours = { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']] };
const rep = (n: number, extra: Record<string, unknown> = {}) => ({
  id: `005Te00000Rep0${n}`,
  name: `Rep ${n}`,
  email: `rep${n}@example.com`,
  timeZone: 'Europe/London',
  workingHours: hours,
  channels: { slack: `https://hooks.slack.com/services/T/B/${n}`, email: `rep${n}@example.com` },
  ...extra,
});
// Monday 23 November 2026, 10:00 in London (GMT).
const MONDAY_10 = new Date('2026-11-23T10:00:00Z');

function contractWith(routing: Record<string, unknown>): Contract {
  return variant({ routing });
}

/** Routes `n` leads in a row and returns who got them. */
function route(contract: Contract, n: number, lead: Record<string, string | null> = {}, now = MONDAY_10): string[] {
  let rotation: RotationState = initialRotation();
  const names: string[] = [];
  for (let i = 0; i < n; i++) {
    const choice = chooseRep({ contract, rotation, lead, now });
    if (!choice.rep) throw new Error(choice.reason);
    names.push(choice.rep.name);
    rotation = rotationStateSchema.parse(JSON.parse(JSON.stringify(choice.rotation)));
  }
  return names;
}

describe('chooseRep', () => {
  it('round robin takes reps in turn and wraps around', () => {
    expect(route(contractWith({ policy: 'round_robin', reps: [rep(1), rep(2), rep(3)] }), 4)).toEqual(['Rep 1', 'Rep 2', 'Rep 3', 'Rep 1']);
  });

  it('weighted routing gives shares in proportion to weight, evenly spaced', () => {
    const names = route(contractWith({ policy: 'weighted', reps: [rep(1, { weight: 3 }), rep(2, { weight: 1 })] }), 8);
    expect(names.filter((n) => n === 'Rep 1')).toHaveLength(6);
    expect(names.slice(0, 4)).toEqual(['Rep 1', 'Rep 1', 'Rep 2', 'Rep 1']);
  });

  it('territory routing sends a lead to the reps of its territory, in turn, and others to the catch-all', () => {
    const contract = contractWith({
      policy: 'territory',
      territoryProperty: 'country',
      reps: [rep(1, { territories: ['Germany'] }), rep(2, { territories: ['germany'] }), rep(3, { territories: ['*'] })],
    });
    expect(route(contract, 3, { country: 'Germany' })).toEqual(['Rep 1', 'Rep 2', 'Rep 1']);
    expect(route(contract, 1, { country: 'Spain' })).toEqual(['Rep 3']);
  });

  it('territory routing without a catch-all says which territory nobody covers', () => {
    const contract = contractWith({ policy: 'territory', territoryProperty: 'country', reps: [rep(1, { territories: ['Germany'] })] });
    expect(chooseRep({ contract, rotation: initialRotation(), lead: { country: 'Spain' }, now: MONDAY_10 })).toEqual({ rep: null, reason: 'no rep covers territory "spain" (country)' });
  });

  it('skips a rep who is out of office', () => {
    const contract = contractWith({ policy: 'round_robin', reps: [rep(1, { outOfOffice: [{ from: '2026-11-23', to: '2026-11-27' }] }), rep(2)] });
    expect(route(contract, 2)).toEqual(['Rep 2', 'Rep 2']);
  });

  it('skips a rep outside working hours in their own time zone', () => {
    // 10:00 in London is 05:00 in New York.
    const contract = contractWith({ policy: 'round_robin', reps: [rep(1, { timeZone: 'America/New_York' }), rep(2)] });
    expect(route(contract, 2)).toEqual(['Rep 2', 'Rep 2']);
    expect(route(contract, 2, {}, new Date('2026-11-23T15:00:00Z'))).toEqual(['Rep 1', 'Rep 2']);
  });

  it('skips reps who already missed this lead', () => {
    const contract = contractWith({ policy: 'round_robin', reps: [rep(1), rep(2)] });
    const choice = chooseRep({ contract, rotation: initialRotation(), lead: {}, now: MONDAY_10, exclude: ['005Te00000Rep01'] });
    expect(choice.rep?.name).toBe('Rep 2');
  });

  it('explains why nobody is available', () => {
    const contract = contractWith({ policy: 'round_robin', reps: [rep(1), rep(2, { outOfOffice: [{ from: '2026-11-01', to: '2026-11-30' }] })] });
    const choice = chooseRep({ contract, rotation: initialRotation(), lead: {}, now: MONDAY_10, exclude: ['005Te00000Rep01'] });
    expect(choice).toEqual({ rep: null, reason: 'no rep available: Rep 1 (already missed this lead), Rep 2 (out of office until 2026-11-30)' });
  });
});

describe('capacity caps and routing waits', () => {
  const policyOf = (contract: Contract) => rotationPolicyOf(contract);

  it('refuses a cap that is not a whole, non-negative number, naming the file, line and field', () => {
    expect(() => parseContract(variantText({ 'routing.capacity': { maxNewPerDay: 2.5 } }), 'proposed.yaml')).toThrow(
      /proposed\.yaml:\d+ routing\.capacity\.maxNewPerDay: expected a whole number of leads \(got 2\.5\)/,
    );
    expect(() => parseContract(variantText({ 'routing.reps.0.capacity': { maxAwaiting: -1 } }), 'proposed.yaml')).toThrow(
      /routing\.reps\.0\.capacity\.maxAwaiting: a cap cannot be negative \(got -1\)/,
    );
  });

  it('takes the pool from exactly one CRM, naming the field when both or neither is given', () => {
    const parse = (pool: object) => parseContract(variantText({ 'routing.pool': pool }), 'proposed.yaml');
    expect(parse({ hubspotTeam: 'Inbound SDRs' }).routing.pool).toEqual({ hubspotTeam: 'Inbound SDRs', refreshMinutes: 15 });
    expect(parse({ salesforceGroup: 'Inbound_SDRs' }).routing.pool).toEqual({ salesforceGroup: 'Inbound_SDRs', refreshMinutes: 15 });
    expect(() => parse({ salesforceGroup: 'Inbound_SDRs', hubspotTeam: 'Inbound SDRs' })).toThrow(/proposed\.yaml:\d+ routing\.pool\.hubspotTeam: name either salesforceGroup or hubspotTeam, not both/);
    expect(() => parse({ refreshMinutes: 5 })).toThrow(/routing\.pool\.salesforceGroup: name the pool: salesforceGroup .* or hubspotTeam/);
    expect(() => parse({ hubspotTeam: 'Inbound SDRs', outOfOfficeField: 'Out_Of_Office__c' })).toThrow(/routing\.pool\.outOfOfficeField: HubSpot owners have no out-of-office field/);
    expect(() => parseContract(variantText({ 'routing.reps.0.hubspotOwnerId': 'abc' }), 'proposed.yaml')).toThrow(/routing\.reps\.0\.hubspotOwnerId: expected a HubSpot owner id/);
  });

  it('keeps the leads awaiting a rep only for a rep under a cap of awaiting leads', () => {
    const contract = contractWith({ policy: 'round_robin', reps: [rep(1, { capacity: { maxAwaiting: 2 } }), rep(2)] });
    const policy = policyOf(contract);
    const loads: RoutingLoad = {};
    const [r1, r2] = policy.reps;
    for (const lead of ['a', 'b', 'c']) {
      recordAssignment(loads, r1!, policy.capacity, `lead-${lead}`, MONDAY_10, new Date('2026-11-23T12:00:00Z'));
      recordAssignment(loads, r2!, policy.capacity, `lead-${lead}`, MONDAY_10, new Date('2026-11-23T12:00:00Z'));
    }
    expect(loads[r1!.id]).toMatchObject({ newToday: 3, awaiting: { 'lead-a': '2026-11-23T12:00:00.000Z', 'lead-b': '2026-11-23T12:00:00.000Z', 'lead-c': '2026-11-23T12:00:00.000Z' } });
    // Rep 2 has no cap on awaiting leads: counted for the day, nothing kept per lead.
    expect(loads[r2!.id]).toEqual({ day: '2026-11-23', newToday: 3, awaiting: {} });
    expect(capacityReason(r2!, policy.capacity, loads[r2!.id], MONDAY_10)).toBeUndefined();
  });

  it("skips a rep at a cap (their own, else the pool's) with the reason, counting their own day", () => {
    const contract = contractWith({ policy: 'round_robin', capacity: { maxAwaiting: 1 }, reps: [rep(1, { capacity: { maxNewPerDay: 1 } }), rep(2)] });
    const policy = policyOf(contract);
    const loads: RoutingLoad = {};
    const [r1, r2] = policy.reps;
    recordAssignment(loads, r1!, policy.capacity, 'lead-a', MONDAY_10, new Date('2026-11-23T12:00:00Z'));
    releaseLead(loads, r1!.id, 'lead-a');
    // Released, but the daily cap of one still holds until Tuesday in London.
    expect(capacityReason(r1!, policy.capacity, loads[r1!.id], MONDAY_10)).toBe('at daily cap (1/1 new leads today)');
    expect(capacityReason(r1!, policy.capacity, loads[r1!.id], new Date('2026-11-24T09:00:00Z'))).toBeUndefined();
    recordAssignment(loads, r2!, policy.capacity, 'lead-b', MONDAY_10, new Date('2026-11-23T12:00:00Z'));
    expect(capacityReason(r2!, policy.capacity, loads[r2!.id], MONDAY_10)).toBe('at cap of leads awaiting acceptance (1/1)');
    // The awaiting slot frees by itself once the lead's hold passes.
    expect(capacityReason(r2!, policy.capacity, loads[r2!.id], new Date('2026-11-23T12:00:01Z'))).toBeUndefined();

    const blocked = (r: { id: string }) => capacityReason(policy.reps.find((p) => p.id === r.id)!, policy.capacity, loads[r.id], MONDAY_10);
    const choice = chooseRep({ contract, rotation: initialRotation(), lead: {}, now: MONDAY_10, blocked });
    expect(choice).toEqual({
      rep: null,
      reason: 'no rep available: Rep 1 (at daily cap (1/1 new leads today)), Rep 2 (at cap of leads awaiting acceptance (1/1))',
    });
    // Capped now, working now: the lead joins the waitlist; by time alone Rep 2's slot frees at 12:00
    // (its hold), before Rep 1's next day.
    expect(routingWait(policy, loads, MONDAY_10, [])).toEqual({ capped: true, retryAt: new Date('2026-11-23T12:00:00Z') });
  });

  it("sleeps a Friday-evening lead to the earliest rep's Monday start, past their out of office", () => {
    const fridayEvening = new Date('2026-11-27T23:00:00Z'); // 18:00 in New York
    const contract = contractWith({
      policy: 'round_robin',
      reps: [rep(1, { outOfOffice: [{ from: '2026-11-30', to: '2026-11-30' }] }), rep(2, { timeZone: 'America/New_York' })],
    });
    // Rep 1 is away all Monday, so the pool is back Monday 09:00 in New York (14:00 UTC), not Tuesday in London.
    expect(routingWait(policyOf(contract), {}, fridayEvening, [])).toEqual({ capped: false, retryAt: new Date('2026-11-30T14:00:00Z') });
    expect(repBackAt(policyOf(contract).reps[0]!, fridayEvening)).toEqual(new Date('2026-12-01T09:00:00Z'));
    // Nobody left who has not missed it: no time to wait for.
    expect(routingWait(policyOf(contract), {}, fridayEvening, ['005Te00000Rep01', '005Te00000Rep02'])).toEqual({ capped: false });
  });

  it('gives a lead no rep covers no time to ask again: a rep of another territory at work is no reason', () => {
    const contract = contractWith({ policy: 'territory', territoryProperty: 'country', reps: [rep(1, { territories: ['Germany'] }), rep(2, { territories: ['France'] })] });
    const policy = policyOf(contract);
    // Monday 10:00 in London: both reps work now, neither covers Spain.
    expect(routingWait(policy, {}, MONDAY_10, [], { country: 'Spain' })).toEqual({ capped: false });
    // A German lead waits for the German rep only: out of office today, back tomorrow at 09:00.
    const away = policyOf(contractWith({ policy: 'territory', territoryProperty: 'country', reps: [rep(1, { territories: ['Germany'], outOfOffice: [{ from: '2026-11-23', to: '2026-11-23' }] }), rep(2, { territories: ['France'] })] }));
    expect(routingWait(away, {}, MONDAY_10, [], { country: 'germany' })).toEqual({ capped: false, retryAt: new Date('2026-11-24T09:00:00Z') });
  });
});
