import { describe, expect, it } from 'vitest';
import { buildStateMachine, IllegalTransitionError, LEAD_EVENTS, STAGES, statusFor, type LeadEvent, type Stage } from '../mappings/contract';
import { everyCoveringRepMissed } from '../mappings/contract';
import { defaultContract, variant } from './contract-fixtures';

const ALLOWED: Array<[Stage, LeadEvent, Stage]> = [
  ['New', 'mql_confirmed', 'MQL'],
  ['New', 'data_incomplete', 'ReturnedToMarketing'],
  ['New', 'not_qualified', 'Nurture'],
  ['MQL', 'assigned', 'AwaitingAcceptance'],
  ['AwaitingAcceptance', 'reassigned', 'AwaitingAcceptance'],
  ['AwaitingAcceptance', 'reassign_limit_reached', 'Nurture'],
  ['AwaitingAcceptance', 'accepted', 'SAL'],
  ['AwaitingAcceptance', 'rejected_recyclable', 'Nurture'],
  ['AwaitingAcceptance', 'rejected_final', 'Disqualified'],
  ['SAL', 'rejected_recyclable', 'Nurture'],
  ['SAL', 'rejected_final', 'Disqualified'],
  ['SAL', 'qualified', 'SQL'],
  ['SAL', 'converted', 'Opportunity'],
  ['SQL', 'converted', 'Opportunity'],
  ['Opportunity', 'won', 'Customer'],
  ['ReturnedToMarketing', 'requalified', 'MQL'],
];

describe('lifecycle state machine', () => {
  const machine = buildStateMachine(defaultContract());

  it.each(ALLOWED)('moves %s on %s to %s', (from, event, to) => {
    expect(machine.next(from, event)).toBe(to);
  });

  it('allows nothing else: every other stage and event pair is illegal', () => {
    const allowed = new Set(ALLOWED.map(([from, event]) => `${from}/${event}`));
    for (const from of STAGES) {
      for (const event of LEAD_EVENTS) {
        if (allowed.has(`${from}/${event}`)) continue;
        expect(() => machine.next(from, event), `${from}/${event}`).toThrow(IllegalTransitionError);
      }
    }
  });

  it('explains an illegal transition with the events the stage does allow', () => {
    expect(() => machine.next('Customer', 'accepted')).toThrow('event "accepted" is not allowed in stage Customer (allowed: none)');
    expect(() => machine.next('New', 'won')).toThrow(/allowed: mql_confirmed, data_incomplete, not_qualified/);
  });

  it('starts at New with the stage names used as LeadStage values', () => {
    expect(machine.initial).toBe('New');
    expect(machine.stages).toEqual(['New', 'MQL', 'AwaitingAcceptance', 'SAL', 'SQL', 'Opportunity', 'Customer', 'Nurture', 'Disqualified', 'ReturnedToMarketing']);
  });

  it('has no reassignment when the contract allows none', () => {
    const strict = buildStateMachine(variant({ 'handoff.reassignLimit': 0 }));
    expect(() => strict.next('AwaitingAcceptance', 'reassigned')).toThrow(IllegalTransitionError);
    expect(strict.next('AwaitingAcceptance', 'reassign_limit_reached')).toBe('Nurture');
  });

  it('has no reassignment when no lead can be routed among more than one rep (one rep per territory)', () => {
    const territories = (reps: string[][]) => {
      const contract = defaultContract();
      contract.routing.policy = 'territory';
      contract.routing.territoryProperty = 'country';
      contract.routing.reps = contract.routing.reps.map((rep, i) => ({ ...rep, territories: reps[i] ?? [] }));
      return contract;
    };
    const single = territories([['Germany'], ['France'], ['*']]);
    expect(single.routing.reps.map((r) => r.territories)).toEqual([['Germany'], ['France'], ['*']]);
    expect(() => buildStateMachine(single).next('AwaitingAcceptance', 'reassigned')).toThrow(IllegalTransitionError);
    expect(buildStateMachine(single).transitions.find((t) => t.event === 'reassign_limit_reached')?.label).toBe('window missed once, revert to nurture');
    // Two reps share France: a French lead is reassigned once (limit 2, but only two reps can take it).
    const shared = buildStateMachine(territories([['Germany'], ['France'], ['France', '*']]));
    expect(shared.next('AwaitingAcceptance', 'reassigned')).toBe('AwaitingAcceptance');
    expect(shared.transitions.find((t) => t.event === 'reassigned')?.label).toContain('reassign up to 1x');
    // A territory no rep covers exactly goes to the catch-all reps, never beyond them.
    expect(everyCoveringRepMissed(single, { country: 'Spain' }, [single.routing.reps[2]?.id ?? ''])).toBe(true);
    expect(everyCoveringRepMissed(single, { country: 'Germany' }, [single.routing.reps[2]?.id ?? ''])).toBe(false);
  });

  it('labels transitions with the contract’s own numbers and rejection codes', () => {
    const labels = machine.transitions.map((t) => t.label).join('\n');
    expect(labels).toContain('accepted within 30 business min');
    expect(labels).toContain('NO_BUDGET_AUTHORITY');
  });

  it('reads each stage’s status in both systems from the status mapping', () => {
    expect(statusFor(defaultContract(), 'Nurture')).toEqual({ hubspotLifecycle: 'lead', hubspotLeadStatus: 'RECYCLED', salesforceStatus: 'Closed - Not Converted' });
  });
});
