import { describe, expect, it } from 'vitest';
import { chooseRep, initialRotation, type RotationState, rotationStateSchema } from '../mappings/routing';
import type { Contract } from '../mappings/contract';
import { variant } from './contract-fixtures';

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
