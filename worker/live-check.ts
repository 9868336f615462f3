/**
 * The contract against the live CRMs, for `sla check --live` and the worker's start: reads the CRMs'
 * configuration through the real clients and compares (mappings/check/check-live.ts). The worker refuses
 * to start on errors unless told to allow drift, with the same lines `sla check --live` prints.
 */
import { z } from 'zod';
import { createHubSpotAdapter, createSalesforceAdapter, readCrmMetadata, type CrmMetadataOptions } from '../activities/crm';
import { readPool } from '../activities/routing';
import { checkContractAgainstCrm, resolveRepIds, metadataWanted } from '../mappings/check';
import { formatFinding, locateFindings, type Finding, type Contract } from '../mappings/contract';
import { poolFindings, poolReportOf, type PoolReport, type PoolSnapshot } from '../mappings/routing';
import type { ParsedContract } from '../mappings/load';
import { SANDBOX_DEFAULTS } from '../sandbox/defaults';
import type { CrmConnections } from './crm-connections';

export interface LiveCheckResult {
  /** The contract as the worker runs it: reps named by email only given their Salesforce User Id. */
  contract: Contract;
  findings: Finding[];
  errors: number;
  /** The report, one line per finding and a summary line naming the CRMs read. */
  lines: string[];
  /** The contract's CRM pool as read now (routing.pool), when it names one. */
  pool?: PoolReport;
}

export async function checkContractLive(parsed: ParsedContract, crm: CrmMetadataOptions): Promise<LiveCheckResult> {
  const metadata = await readCrmMetadata(crm, metadataWanted(parsed.contract));
  const contract = resolveRepIds(parsed.contract, metadata);
  const read = await poolLive(contract, crm);
  // The findings match reps on the read itself: the report leaves the owners' emails out.
  const pool = read ? poolReportOf(read, contract.routing.reps) : undefined;
  const findings = [...checkContractAgainstCrm(parsed.contract, metadata, parsed.sourceMap), ...(read ? locateFindings(poolFindings(contract.routing.reps, read), parsed.sourceMap) : [])];
  const errors = findings.filter((f) => f.severity === 'error').length;
  const against = `HubSpot ${crm.hubspot.basePath ?? 'https://api.hubapi.com'}, Salesforce ${crm.salesforce.instanceUrl ?? crm.salesforce.loginUrl ?? ''}`;
  return {
    contract,
    findings,
    errors,
    lines: [...findings.map(formatFinding), `${parsed.sourceMap.source} against ${against}: ${errors} error(s), ${findings.length - errors} warning(s)`],
    ...(pool ? { pool } : {}),
  };
}

/** The contract's CRM pool (routing.pool) as Salesforce or HubSpot has it now: who routing could choose. */
async function poolLive(contract: Contract, crm: CrmMetadataOptions): Promise<PoolSnapshot | undefined> {
  const pool = contract.routing.pool;
  if (!pool) return undefined;
  const ports = { salesforce: createSalesforceAdapter(crm.salesforce), hubspot: createHubSpotAdapter(crm.hubspot) };
  return readPool(pool, ports, new Date());
}

/** The reads' options from the connections the bridge itself uses. */
export function metadataOptionsFrom(crm: CrmConnections): CrmMetadataOptions {
  return { hubspot: { accessToken: crm.hubspot.accessToken, ...(crm.hubspot.basePath ? { basePath: crm.hubspot.basePath } : {}) }, salesforce: crm.salesforce };
}

const crmEnvSchema = z.object({
  HUBSPOT_ACCESS_TOKEN: z.string().optional(),
  HUBSPOT_BASE_URL: z.url().optional(),
  SALESFORCE_LOGIN_URL: z.url().optional(),
  SALESFORCE_INSTANCE_URL: z.url().optional(),
  SALESFORCE_CLIENT_ID: z.string().optional(),
  SALESFORCE_CLIENT_SECRET: z.string().optional(),
  SALESFORCE_ACCESS_TOKEN: z.string().optional(),
  SALESFORCE_API_VERSION: z.string().regex(/^\d+\.0$/).optional(),
});

/**
 * What `sla check --live` reads with: the same CRM variables as the bridge (docs/operations.md),
 * without the worker's other secrets; with none set, the local sandboxes on their usual ports.
 */
export function metadataOptionsFromEnv(env: NodeJS.ProcessEnv): CrmMetadataOptions {
  const present = Object.fromEntries(Object.keys(crmEnvSchema.shape).flatMap((name) => (env[name]?.trim() ? [[name, env[name].trim()]] : [])));
  const parsed = crmEnvSchema.safeParse(present);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'));
  const e = parsed.data;
  const hubspotUrl = e.HUBSPOT_BASE_URL ?? (e.HUBSPOT_ACCESS_TOKEN ? 'https://api.hubapi.com' : `http://127.0.0.1:${SANDBOX_DEFAULTS.hubspot.port}`);
  const live = e.SALESFORCE_INSTANCE_URL !== undefined || e.SALESFORCE_ACCESS_TOKEN !== undefined || e.SALESFORCE_CLIENT_ID !== undefined;
  const salesforceUrl = `http://127.0.0.1:${SANDBOX_DEFAULTS.salesforce.port}`;
  return {
    hubspot: { accessToken: e.HUBSPOT_ACCESS_TOKEN ?? SANDBOX_DEFAULTS.hubspot.accessToken, basePath: hubspotUrl },
    salesforce: live
      ? {
          ...(e.SALESFORCE_INSTANCE_URL ? { instanceUrl: e.SALESFORCE_INSTANCE_URL } : {}),
          loginUrl: e.SALESFORCE_LOGIN_URL ?? 'https://login.salesforce.com',
          ...(e.SALESFORCE_CLIENT_ID ? { clientId: e.SALESFORCE_CLIENT_ID } : {}),
          ...(e.SALESFORCE_CLIENT_SECRET ? { clientSecret: e.SALESFORCE_CLIENT_SECRET } : {}),
          ...(e.SALESFORCE_ACCESS_TOKEN ? { accessToken: e.SALESFORCE_ACCESS_TOKEN } : {}),
          ...(e.SALESFORCE_API_VERSION ? { apiVersion: e.SALESFORCE_API_VERSION } : {}),
        }
      : { instanceUrl: salesforceUrl, loginUrl: salesforceUrl, clientId: SANDBOX_DEFAULTS.salesforce.clientId, clientSecret: SANDBOX_DEFAULTS.salesforce.clientSecret },
  };
}
