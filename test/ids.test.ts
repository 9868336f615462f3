import { describe, expect, it } from 'vitest';
import { handoffWorkflowId, parseHandoffWorkflowId } from '../api/ids';

describe('workflow ids', () => {
  it('derives one handoff id per lead and reads it back', () => {
    const id = handoffWorkflowId({ portalId: '4402', contactId: '151' });
    expect(id).toBe('handoff:4402:151');
    expect(parseHandoffWorkflowId(id)).toEqual({ portalId: '4402', contactId: '151' });
  });

  it('refuses ids that would smuggle a separator', () => {
    expect(() => handoffWorkflowId({ portalId: '1', contactId: '2:3' })).toThrow(/contactId must be/);
  });

  it('does not mistake other workflow ids for handoffs', () => {
    expect(parseHandoffWorkflowId('routing:4402')).toBeUndefined();
    expect(parseHandoffWorkflowId('handoff:1:2:3')).toBeUndefined();
  });
});
