/**
 * What `handoff-bridge reconcile` reads from the environment: the CRM endpoints and credentials (the
 * same variables as the worker; `handoff-bridge sandbox` prints them for the sandboxes), the
 * contract, the repair policy and the schedule's cadence. Problems are reported by variable name,
 * never with the value.
 */
import { z } from 'zod';

const url = z.url({ error: 'must be an http(s) URL' });

const reconcileEnvSchema = z.object({
  HUBSPOT_ACCESS_TOKEN: z.string({ error: 'is required (the private-app token; `handoff-bridge sandbox` prints one)' }).min(1),
  HUBSPOT_BASE_URL: url.default('https://api.hubapi.com'),
  HUBSPOT_PORTAL_ID: z.string({ error: 'is required (the numeric portal id)' }).regex(/^\d+$/, 'must be the numeric portal id'),
  SALESFORCE_INSTANCE_URL: url,
  SALESFORCE_LOGIN_URL: url.default('https://login.salesforce.com'),
  SALESFORCE_CLIENT_ID: z.string().optional(),
  SALESFORCE_CLIENT_SECRET: z.string().optional(),
  SALESFORCE_ACCESS_TOKEN: z.string().optional(),
  SALESFORCE_API_VERSION: z.string().regex(/^\d+\.0$/, 'must look like 62.0').default('62.0'),
  HANDOFF_CONTRACT: z.string().optional(),
  /** Comma list of drift classes to repair; `none` reports only. */
  RECONCILE_REPAIR: z.string().optional(),
  RECONCILE_EVERY: z.string().default('24h'),
});

export type ReconcileEnv = z.infer<typeof reconcileEnvSchema>;

export function loadReconcileEnv(env: Record<string, string | undefined> = process.env): ReconcileEnv {
  const present = Object.fromEntries(Object.keys(reconcileEnvSchema.shape).map((k) => [k, env[k]?.trim() ? env[k].trim() : undefined]));
  const parsed = reconcileEnvSchema.safeParse(present);
  if (!parsed.success) throw new Error(['reconcile: invalid environment:', ...parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`)].join('\n'));
  if (!parsed.data.SALESFORCE_ACCESS_TOKEN && !(parsed.data.SALESFORCE_CLIENT_ID && parsed.data.SALESFORCE_CLIENT_SECRET)) {
    throw new Error('reconcile: invalid environment:\n  - SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET (or SALESFORCE_ACCESS_TOKEN) are required');
  }
  return parsed.data;
}
