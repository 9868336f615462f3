/**
 * Translation of every CRM client error into an ApplicationFailure with a stable type
 * (CRM_ERROR_TYPES). Messages name the operation and the status or error code only: response bodies
 * carry personal data and must never reach Temporal history.
 */
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { CRM_ERROR_TYPES } from '../ports';

type CrmErrorType = (typeof CRM_ERROR_TYPES)[keyof typeof CRM_ERROR_TYPES];

export function crmFailure(type: CrmErrorType, message: string, nextRetryDelayMs?: number): ApplicationFailure {
  const retryable = type === CRM_ERROR_TYPES.rateLimited || type === CRM_ERROR_TYPES.unavailable;
  return ApplicationFailure.create({
    message,
    type,
    nonRetryable: !retryable,
    ...(nextRetryDelayMs !== undefined ? { nextRetryDelay: nextRetryDelayMs } : {}),
  });
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

/** Connection failures and client-side timeouts, whatever client raised them. */
function isNetworkError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err.name === 'AbortError' || err.name === 'TimeoutError' || err.name === 'FetchError') return true;
  const code = (err as { code?: unknown }).code ?? (err.cause as { code?: unknown } | undefined)?.code;
  return (typeof code === 'string' && NETWORK_CODES.has(code)) || (err instanceof TypeError && err.message === 'fetch failed');
}

function unexpected(operation: string, err: unknown): ApplicationFailure {
  if (err instanceof z.ZodError) return crmFailure(CRM_ERROR_TYPES.invalid, `${operation}: unexpected response shape`);
  if (isNetworkError(err)) return crmFailure(CRM_ERROR_TYPES.unavailable, `${operation}: connection failed or timed out`);
  const name = err instanceof Error ? err.name : typeof err;
  return crmFailure(CRM_ERROR_TYPES.unavailable, `${operation}: unexpected ${name}`);
}

const hubspotException = z.object({
  code: z.number().int(),
  body: z.unknown(),
  headers: z.record(z.string(), z.string()).optional().default({}),
});
const hubspotBody = z.object({ category: z.string().optional(), policyName: z.string().optional() }).partial();

const DAILY_LIMIT_RETRY_MS = 60 * 60 * 1000;

/** How long HubSpot says to wait: Retry-After if sent, else the window of the exhausted policy. */
export function hubspotRetryDelayMs(headers: Record<string, string>, policyName: string | undefined): number {
  const retryAfter = Number(headers['retry-after']);
  if (Number.isFinite(retryAfter) && retryAfter > 0) return retryAfter * 1000;
  switch (policyName) {
    case 'SECONDLY':
      return 1000;
    case 'DAILY':
      return DAILY_LIMIT_RETRY_MS;
    default: {
      const interval = Number(headers['x-hubspot-ratelimit-interval-milliseconds']);
      return Number.isFinite(interval) && interval > 0 ? interval : 10_000;
    }
  }
}

export function hubspotFailure(operation: string, err: unknown): ApplicationFailure {
  if (err instanceof ApplicationFailure) return err;
  const parsed = hubspotException.safeParse(err);
  if (!parsed.success) return unexpected(`hubspot.${operation}`, err);
  const { code, headers } = parsed.data;
  const body = hubspotBody.safeParse(parsed.data.body);
  const category = body.success ? body.data.category : undefined;
  const message = `hubspot.${operation} failed: HTTP ${code}${category ? ` ${category}` : ''}`;
  if (code === 429) {
    const policy = body.success ? body.data.policyName : undefined;
    return crmFailure(CRM_ERROR_TYPES.rateLimited, `${message}${policy ? ` ${policy}` : ''}`, hubspotRetryDelayMs(headers, policy));
  }
  if (code >= 500) return crmFailure(CRM_ERROR_TYPES.unavailable, message);
  if (code === 404) return crmFailure(CRM_ERROR_TYPES.notFound, message);
  if (code === 401 || code === 403) return crmFailure(CRM_ERROR_TYPES.unauthorized, message);
  if (code >= 400) return crmFailure(CRM_ERROR_TYPES.invalid, message);
  return crmFailure(CRM_ERROR_TYPES.unavailable, message);
}

const SALESFORCE_UNAUTHORIZED = new Set([
  'INVALID_SESSION_ID',
  'INVALID_AUTH_HEADER',
  'INSUFFICIENT_ACCESS',
  'INSUFFICIENT_ACCESS_OR_READONLY',
  'API_DISABLED_FOR_ORG',
  'API_CURRENTLY_DISABLED',
  'invalid_client',
  'invalid_client_id',
  'invalid_grant',
  'unsupported_grant_type',
]);
const SALESFORCE_NOT_FOUND = new Set(['NOT_FOUND', 'ENTITY_IS_DELETED']);
const SALESFORCE_UNAVAILABLE = new Set(['SERVER_UNAVAILABLE', 'UNKNOWN_EXCEPTION', 'UNABLE_TO_LOCK_ROW', 'REQUEST_RUNNING_TOO_LONG']);

/** Salesforce names no retry time for the rolling 24 h allocation; the adapter chooses one. */
export const SALESFORCE_LIMIT_RETRY_MS = 5 * 60 * 1000;

/** One Salesforce error code (REST `errorCode` or Collections `statusCode`) to a failure. */
export function salesforceCodeFailure(operation: string, code: string, fields: string[] = [], rateLimitDelayMs = SALESFORCE_LIMIT_RETRY_MS): ApplicationFailure {
  const message = `salesforce.${operation} failed: ${code}${fields.length > 0 ? ` (${fields.join(', ')})` : ''}`;
  if (code === 'REQUEST_LIMIT_EXCEEDED') return crmFailure(CRM_ERROR_TYPES.rateLimited, message, rateLimitDelayMs);
  // A plain 429 (a gateway in front of the org) names no window: Temporal's backoff spaces the retries.
  if (code === 'ERROR_HTTP_429') return crmFailure(CRM_ERROR_TYPES.rateLimited, message);
  if (code === 'CANNOT_UPDATE_CONVERTED_LEAD') return crmFailure(CRM_ERROR_TYPES.leadConverted, message);
  if (SALESFORCE_UNAUTHORIZED.has(code)) return crmFailure(CRM_ERROR_TYPES.unauthorized, message);
  if (SALESFORCE_NOT_FOUND.has(code)) return crmFailure(CRM_ERROR_TYPES.notFound, message);
  const httpStatus = /^ERROR_HTTP_(\d{3})$/.exec(code)?.[1];
  if (SALESFORCE_UNAVAILABLE.has(code) || (httpStatus !== undefined && Number(httpStatus) >= 500)) {
    return crmFailure(CRM_ERROR_TYPES.unavailable, message);
  }
  return crmFailure(CRM_ERROR_TYPES.invalid, message);
}

const jsforceError = z.object({ errorCode: z.string(), data: z.unknown().optional() });
const restErrorItem = z.object({ errorCode: z.string(), fields: z.array(z.string()).optional() });
const OAUTH_ERRORS = ['invalid_client', 'invalid_client_id', 'invalid_grant', 'unsupported_grant_type'];

export function salesforceFailure(operation: string, err: unknown, rateLimitDelayMs?: number): ApplicationFailure {
  if (err instanceof ApplicationFailure) return err;
  const parsed = jsforceError.safeParse(err);
  if (parsed.success) {
    // Several errors at once arrive as MULTIPLE_API_ERRORS with the list in `data`.
    const items = z.array(restErrorItem).safeParse(parsed.data.data);
    const first = parsed.data.errorCode === 'MULTIPLE_API_ERRORS' && items.success ? items.data[0] : undefined;
    const single = restErrorItem.safeParse(parsed.data.data);
    const fields = first?.fields ?? (single.success ? single.data.fields : undefined) ?? [];
    return salesforceCodeFailure(operation, first?.errorCode ?? parsed.data.errorCode, fields, rateLimitDelayMs);
  }
  if (err instanceof Error && OAUTH_ERRORS.includes(err.name)) return salesforceCodeFailure(operation, err.name);
  if (err instanceof Error && err.message.startsWith('Unable to refresh session')) {
    return crmFailure(CRM_ERROR_TYPES.unauthorized, `salesforce.${operation} failed: session refresh refused`);
  }
  return unexpected(`salesforce.${operation}`, err);
}
