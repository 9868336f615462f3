/** The stable ApplicationFailure types adapters translate every CRM error into (workflows import this). */
export const CRM_ERROR_TYPES = {
  /** 429 / REQUEST_LIMIT_EXCEEDED: retryable, with nextRetryDelay from the response. */
  rateLimited: 'CrmRateLimited',
  /** 5xx, timeouts, connection resets: retryable. */
  unavailable: 'CrmUnavailable',
  /** 404 / NOT_FOUND: non-retryable. */
  notFound: 'CrmNotFound',
  /** 400, validation, picklist errors: non-retryable. */
  invalid: 'CrmInvalidRequest',
  /** 401 / 403 (not limits): non-retryable until credentials are fixed. */
  unauthorized: 'CrmUnauthorized',
  /**
   * CANNOT_UPDATE_CONVERTED_LEAD: a rep converted the lead while the write was on its way. Never
   * retried, and nothing to fix: the conversion supersedes the write.
   */
  leadConverted: 'CrmLeadConverted',
} as const;

export const NON_RETRYABLE_CRM_ERRORS: readonly string[] = [CRM_ERROR_TYPES.notFound, CRM_ERROR_TYPES.invalid, CRM_ERROR_TYPES.unauthorized, CRM_ERROR_TYPES.leadConverted];

/** The refusals a handoff waits Blocked on until someone fixes the cause: all but a superseded write. */
export const BLOCKING_CRM_ERRORS: readonly string[] = NON_RETRYABLE_CRM_ERRORS.filter((type) => type !== CRM_ERROR_TYPES.leadConverted);

