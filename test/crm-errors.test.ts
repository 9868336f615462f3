import { describe, expect, it } from 'vitest';
import { hubspotFailure, salesforceCodeFailure } from '../activities/crm';
import { BLOCKING_CRM_ERRORS, NON_RETRYABLE_CRM_ERRORS } from '../mappings/crm';

describe('CRM errors translated at the adapters', () => {
  it('makes a 429 from either CRM a retryable CrmRateLimited, never a failure that stops the handoff', () => {
    expect(salesforceCodeFailure('upsertLead', 'ERROR_HTTP_429')).toMatchObject({ type: 'CrmRateLimited', nonRetryable: false });
    expect(salesforceCodeFailure('upsertLead', 'REQUEST_LIMIT_EXCEEDED', [], 60_000)).toMatchObject({ type: 'CrmRateLimited', nonRetryable: false, nextRetryDelay: 60_000 });
    expect(hubspotFailure('getContact', { code: 429, body: { policyName: 'TEN_SECONDLY_ROLLING' }, headers: {} })).toMatchObject({ type: 'CrmRateLimited', nonRetryable: false, nextRetryDelay: 10_000 });
  });

  it('keeps Salesforce 5xx answers retryable as CrmUnavailable', () => {
    expect(salesforceCodeFailure('findLead', 'ERROR_HTTP_503')).toMatchObject({ type: 'CrmUnavailable', nonRetryable: false });
  });

  it('tells a write to a converted lead apart from an invalid one: never retried, and not a cause to block on', () => {
    expect(salesforceCodeFailure('updateLead', 'CANNOT_UPDATE_CONVERTED_LEAD', ['Id'])).toMatchObject({ type: 'CrmLeadConverted', nonRetryable: true });
    expect(NON_RETRYABLE_CRM_ERRORS).toContain('CrmLeadConverted');
    expect(BLOCKING_CRM_ERRORS).not.toContain('CrmLeadConverted');
    expect(BLOCKING_CRM_ERRORS).toEqual(['CrmNotFound', 'CrmInvalidRequest', 'CrmUnauthorized']);
  });
});
