/**
 * What the CRM clients tell the process's metrics of each HTTP request: that it was sent, and whether
 * the CRM refused it for rate (HubSpot's 429; Salesforce's REQUEST_LIMIT_EXCEEDED, or a plain 429 from
 * a gateway in front of the org). A batch serving a hundred leads is one request: these are the
 * requests the call budgets bound and the CRMs count against their limits.
 */
export type CrmSystem = 'hubspot' | 'salesforce';

export interface CrmRequestMeter {
  sent(): void;
  rateLimited(): void;
}

/** Counts nothing: where no metrics registry is wired (the CLI's one-off reads, tests). */
export const UNMETERED: CrmRequestMeter = { sent: () => undefined, rateLimited: () => undefined };

/** Whether a Salesforce REST response is the org's or a gateway's rate refusal. */
export function salesforceRateRefusal(statusCode: number, body: unknown): boolean {
  if (statusCode === 429) return true;
  // The rolling 24 h allocation: HTTP 403 with [{ errorCode: 'REQUEST_LIMIT_EXCEEDED', … }].
  return statusCode === 403 && typeof body === 'string' && body.includes('REQUEST_LIMIT_EXCEEDED');
}
