/**
 * Named activity option profiles. Temporal owns retries (the CRM SDKs' own retries are off); the
 * adapters classify every error, so only the stable non-retryable types stop a retry early.
 */
import type { ActivityOptions } from '@temporalio/workflow';
import { NON_RETRYABLE_CRM_ERRORS } from '../mappings/crm-error-types';

/** Reads and writes against a CRM: patient with rate limits and outages, quick to give up on bad input. */
export const crmCall: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '6 hours',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '2 minutes',
    nonRetryableErrorTypes: [...NON_RETRYABLE_CRM_ERRORS],
  },
};

/** Alerts to reps: a few quick tries; a permanent failure is reported by the notifier as non-retryable. */
export const notify: ActivityOptions = {
  startToCloseTimeout: '20 seconds',
  scheduleToCloseTimeout: '30 minutes',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute' },
};

/** Bridge-internal work (contract, routing queue, starting handoffs). */
export const bridge: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
};
