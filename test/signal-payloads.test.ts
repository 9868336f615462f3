/**
 * The signal payload checks the workflows run before acting (api/signal-payloads.ts): each names the
 * first problem by field, never the value, and passes what the bridge's own senders send.
 */
import { describe, expect, it } from 'vitest';
import { contactChangeProblem, leadChangeProblem, releaseSlotProblem } from '../api/signal-payloads';

describe('signal payload checks', () => {
  it('pass what the ingress, the status watcher and the handoffs send', () => {
    expect(contactChangeProblem({ eventId: '17', propertyName: 'lifecyclestage', propertyValue: 'marketingqualifiedlead', occurredAt: '2026-12-04T10:00:00.000Z' })).toBeUndefined();
    expect(leadChangeProblem({ leadId: '00Q1', status: 'Working', ownerId: '005A', isConverted: false, modifiedAt: '2026-12-04T10:00:00.000Z' })).toBeUndefined();
    expect(leadChangeProblem({ leadId: '00Q1', modifiedAt: '2026-12-04T10:00:00.000Z', fields: { Budget__c: '5000', Timeline__c: null } })).toBeUndefined();
    expect(leadChangeProblem({ leadId: '00Q1', modifiedAt: '2026-12-04T10:00:00.000Z', attempt: { taskId: '00T1', channel: 'call', createdAt: '2026-12-04T10:05:00.000Z' } })).toBeUndefined();
    expect(releaseSlotProblem({ handoffId: 'handoff:1:2', repId: 'rep-1', why: 'missed' })).toBeUndefined();
  });

  it('name the first problem: no payload, a missing or mistyped field, a time that cannot be read', () => {
    expect(contactChangeProblem(undefined)).toBe('the payload is not an object');
    expect(contactChangeProblem('MQL')).toBe('the payload is not an object');
    expect(contactChangeProblem({ eventId: 17 })).toBe('eventId is not a string');
    expect(leadChangeProblem([])).toBe('the payload is not an object');
    expect(leadChangeProblem({ modifiedAt: '2026-12-04T10:00:00.000Z' })).toBe('leadId is missing');
    expect(leadChangeProblem({ leadId: '00Q1', modifiedAt: 'today' })).toBe('modifiedAt is not a timestamp');
    expect(leadChangeProblem({ leadId: '00Q1', modifiedAt: '2026-12-04T10:00:00.000Z', isConverted: 'yes' })).toBe('isConverted is not true or false');
    expect(leadChangeProblem({ leadId: '00Q1', modifiedAt: '2026-12-04T10:00:00.000Z', status: null })).toBe('status is not a string');
    expect(leadChangeProblem({ leadId: '00Q1', modifiedAt: '2026-12-04T10:00:00.000Z', fields: { Budget__c: 5000 } })).toBe('fields is not a map of field names to strings or null');
    expect(leadChangeProblem({ leadId: '00Q1', modifiedAt: '2026-12-04T10:00:00.000Z', attempt: { taskId: '00T1', channel: 'call' } })).toBe('attempt.createdAt is missing');
    expect(releaseSlotProblem({ handoffId: 'handoff:1:2', repId: 'rep-1', why: 'lost' })).toBe('why is not accepted, rejected or missed');
    expect(releaseSlotProblem({ handoffId: 'handoff:1:2', why: 'missed' })).toBe('repId is missing');
  });

  it('never repeat the value they refuse', () => {
    const secret = 'jane.doe@example.com';
    for (const problem of [contactChangeProblem({ eventId: { secret } }), leadChangeProblem({ leadId: secret, modifiedAt: secret }), releaseSlotProblem({ handoffId: secret, repId: secret, why: secret })]) {
      expect(problem).toBeDefined();
      expect(problem).not.toContain(secret);
    }
  });
});
