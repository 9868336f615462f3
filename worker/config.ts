/**
 * The bridge's configuration, read once from the environment and validated with zod. A bad
 * environment fails with one ConfigError naming every variable that is missing or wrong, so an
 * operator fixes them all in one pass. Secret values are never echoed: only names and reasons.
 */
import { z } from 'zod';
import { DEFAULT_CALL_BUDGETS } from '../activities/crm';
import { cadenceSchema } from '../activities/reconcile';
import { HANDOFF_TASK_QUEUE } from '../api/ids';

/** Variables whose values are secrets: never put their values in messages or logs. */
export const SECRET_VARIABLES = [
  'LINK_SIGNING_SECRET',
  'HUBSPOT_ACCESS_TOKEN',
  'HUBSPOT_CLIENT_SECRET',
  'SALESFORCE_CLIENT_SECRET',
  'SALESFORCE_ACCESS_TOKEN',
  'SMTP_URL',
  'SLACK_WEBHOOK_URL',
  'TEAMS_WEBHOOK_URL',
  'CODEC_KEYS',
  'CODEC_AUTH_TOKEN',
] as const;

/** The credentials whose presence switches the bridge from the local sandboxes to real portals. */
export const CRM_CREDENTIAL_VARIABLES = [
  'HUBSPOT_ACCESS_TOKEN',
  'HUBSPOT_CLIENT_SECRET',
  'SALESFORCE_CLIENT_ID',
  'SALESFORCE_CLIENT_SECRET',
  'SALESFORCE_ACCESS_TOKEN',
] as const;

const port = z.coerce.number({ error: 'must be a port 1-65535' }).int('must be a whole number').min(1, 'must be a port 1-65535').max(65535, 'must be a port 1-65535');
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const callsPer10Seconds = z.coerce.number({ error: 'must be a number' }).int('must be a whole number').positive('must be a positive number of calls per 10 seconds');
const callsPerSecond = z.coerce.number({ error: 'must be a number' }).positive('must be a positive number of calls per second');
const cacheSize = z.coerce
  .number({ error: 'must be a number' })
  .int('must be a whole number')
  .refine((n) => n === 0 || n >= 2, 'must be 0 (no cache) or at least 2 workflows');

/**
 * Workflows the orchestration worker keeps in memory between their tasks. A handoff parked on its
 * timer for hours needs none; one that wakes outside the cache replays its history (tens of events)
 * first. The bound keeps the worker's memory flat however many handoffs are open. It also paces a
 * burst: the worker admits new handoffs while those in mid-step fill 80 % of it
 * (workflow-admission.ts), and the rest holds the newest parked ones, so a handoff waiting on its step
 * is not evicted before them. In a 1,000-lead burst, 100 slots left one task in eight missing the
 * cache (80 in mid-step finish slower than the worker can run: 1.57–1.72× the floor); 150 left 3
 * misses in 3,000 (1.51×), 200 none (1.46×). A handoff cached mid-burst holds ≈ 180 KB of RSS, and
 * with 10,000 parked and quiet the worker held 358 MB at 100, 375–380 MB at 150 and 391 MB at 200,
 * against the 400 MB target (docs/benchmarks.md, "Cache misses in a burst").
 */
export const DEFAULT_WORKFLOW_CACHE_SIZE = 150;
const secret = (reason: string) => z.string({ error: reason });

/**
 * How long a client may take to send its headers, and its whole request (headers and body), on every
 * HTTP route: a slow sender holds a socket and memory for no more than this. The UI, HubSpot and a
 * rep's browser each send within a second or two.
 */
export const DEFAULT_HTTP_TIMEOUTS = { headersSeconds: 10, requestSeconds: 30 } as const;
const httpSeconds = z.coerce
  .number({ error: 'must be a number of seconds' })
  .int('must be a whole number of seconds')
  .min(1, 'must be 1-300 seconds')
  .max(300, 'must be 1-300 seconds');

/** `https://temporal.example.com,http://localhost:8233`: browser origins, scheme://host[:port], no path. */
const originList = z.string().transform((value, ctx): string[] => {
  const origins = value.split(',').map((entry) => entry.trim()).filter(Boolean);
  if (origins.length === 0) ctx.addIssue({ code: 'custom', message: 'must list at least one origin such as https://temporal.example.com' });
  for (const origin of origins) {
    if (!/^https?:\/\/[A-Za-z0-9.-]+(?::\d{1,5})?$/.test(origin)) {
      ctx.addIssue({ code: 'custom', message: `"${origin}" is not an origin: use scheme://host[:port], no path or trailing slash` });
    }
  }
  return origins;
});

/** A 32-byte AES key, with the id recorded next to each payload it encrypts (rotation). */
export interface CodecKey {
  id: string;
  key: Buffer;
}

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** `id:base64,id:base64`; the first key encrypts, every key decrypts. Reasons never include key material. */
const codecKeys = z.string().transform((value, ctx): CodecKey[] => {
  const keys: CodecKey[] = [];
  const entries = value.split(',').map((entry) => entry.trim()).filter(Boolean);
  entries.forEach((entry, index) => {
    const colon = entry.indexOf(':');
    const id = colon > 0 ? entry.slice(0, colon) : '';
    const key = Buffer.from(colon > 0 ? entry.slice(colon + 1) : '', 'base64');
    if (!KEY_ID.test(id)) {
      ctx.addIssue({ code: 'custom', message: `entry ${index + 1} must be keyId:base64key with a keyId of letters, digits, '.', '_' or '-'` });
    } else if (key.length !== 32) {
      ctx.addIssue({ code: 'custom', message: `key "${id}" must be 32 bytes of base64 (openssl rand -base64 32)` });
    } else if (keys.some((known) => known.id === id)) {
      ctx.addIssue({ code: 'custom', message: `key id "${id}" appears twice` });
    } else {
      keys.push({ id, key });
    }
  });
  if (entries.length === 0) ctx.addIssue({ code: 'custom', message: 'must list at least one keyId:base64key' });
  return keys;
});

/**
 * The lanes a worker process serves: 'all' (one process, the default), or the hot lane split off into
 * a process of its own: 'main' (orchestration, routing, the CRM queues) beside 'hot' (the priority
 * leads' orchestration and CRM queues). Split, a hot lead's tasks never share the main thread a burst
 * keeps busy (activities, codecs and every activation pass through it); a deployment that splits must
 * run both, or hot leads wait for a poller. Opt-in: on the dev server the hot leads' wait was measured
 * in the server's hand-out of their tasks, not on that thread (docs/operations.md).
 */
export const WORKER_LANES = ['all', 'main', 'hot'] as const;
export type WorkerLanes = (typeof WORKER_LANES)[number];

const envSchema = z.object({
  TEMPORAL_ADDRESS: z.string().regex(/^[^\s:]+:\d+$/, 'must be host:port').default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  HANDOFF_MODE: z.enum(['worker', 'ingress', 'all'], { error: 'must be worker, ingress or all' }).default('all'),
  HANDOFF_WORKER_LANES: z.enum(WORKER_LANES, { error: 'must be all, main or hot' }).default('all'),
  HANDOFF_CONTRACT: z.string().optional(),
  HANDOFF_TASK_QUEUE: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'must be letters, digits, ".", "_" or "-"').default(HANDOFF_TASK_QUEUE),
  HANDOFF_REPORT_DIR: z.string().min(1).default('reports'),
  // The worker checks the contract against the CRMs at start and refuses to start on errors; `1` starts anyway.
  HANDOFF_ALLOW_DRIFT: z.enum(['0', '1', 'true', 'false'], { error: 'must be 1 or 0' }).default('0'),
  RECONCILE_EVERY: z.union([z.literal('off'), cadenceSchema], { error: 'must be a cadence such as 24h, 6h, 30m, 1d, or off' }).default('24h'),
  RECONCILE_REPAIR: z.string().optional(),
  INGRESS_PORT: port.default(8787),
  INGRESS_PUBLIC_URL: httpUrl.default('http://127.0.0.1:8787'),
  LINK_SIGNING_SECRET: secret('is required (at least 32 characters; signs accept/reject links)').min(32, 'must be at least 32 characters'),
  HUBSPOT_ACCESS_TOKEN: secret('must be a string').optional(),
  HUBSPOT_BASE_URL: httpUrl.default('https://api.hubapi.com'),
  HUBSPOT_PORTAL_ID: z.string().regex(/^\d+$/, 'must be the numeric HubSpot portal (hub) id').optional(),
  HUBSPOT_CLIENT_SECRET: secret('must be a string').optional(),
  SALESFORCE_LOGIN_URL: httpUrl.default('https://login.salesforce.com'),
  SALESFORCE_INSTANCE_URL: httpUrl.optional(),
  SALESFORCE_CLIENT_ID: z.string().optional(),
  SALESFORCE_CLIENT_SECRET: secret('must be a string').optional(),
  SALESFORCE_ACCESS_TOKEN: secret('must be a string').optional(),
  SALESFORCE_API_VERSION: z.string().regex(/^\d+\.0$/, 'must look like 62.0').default('62.0'),
  // HTTP requests per worker process (N replicas: budget/N each). HubSpot allows 190 per 10 s; 150
  // leaves room for the portal's other apps.
  HUBSPOT_CALLS_PER_10_SECONDS: callsPer10Seconds.default(DEFAULT_CALL_BUDGETS.hubspotPer10Seconds),
  SALESFORCE_CALLS_PER_SECOND: callsPerSecond.default(DEFAULT_CALL_BUDGETS.salesforcePerSecond),
  WORKFLOW_CACHE_SIZE: cacheSize.default(DEFAULT_WORKFLOW_CACHE_SIZE),
  WORKER_DEPLOYMENT_NAME: z.string().regex(/^[A-Za-z0-9_-]+$/, 'must be letters, digits, "_" or "-"').optional(),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL').optional(),
  SMTP_FROM: z.email('must be an email address').default('handoff-bridge@localhost'),
  SLACK_WEBHOOK_URL: httpUrl.optional(),
  TEAMS_WEBHOOK_URL: httpUrl.optional(),
  CODEC_KEYS: codecKeys.optional(),
  CODEC_AUTH_TOKEN: secret('must be a string').min(16, 'must be at least 16 characters').optional(),
  CODEC_CORS_ORIGINS: originList.optional(),
  METRICS_PORT: port.default(9464),
  HTTP_HEADERS_TIMEOUT_SECONDS: httpSeconds.default(DEFAULT_HTTP_TIMEOUTS.headersSeconds),
  HTTP_REQUEST_TIMEOUT_SECONDS: httpSeconds.default(DEFAULT_HTTP_TIMEOUTS.requestSeconds),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { error: 'must be one of fatal, error, warn, info, debug, trace, silent' }).default('info'),
});

/** Every variable the bridge reads; docs/operations.md documents each (a test checks). */
export const CONFIG_VARIABLES = Object.keys(envSchema.shape) as Array<keyof typeof envSchema.shape>;

export type HandoffMode = 'worker' | 'ingress' | 'all';

export interface BridgeConfig {
  mode: HandoffMode;
  /** The worker lanes this process serves (HANDOFF_WORKER_LANES). */
  lanes: WorkerLanes;
  /** Start the worker even when the contract does not match the CRMs (HANDOFF_ALLOW_DRIFT). */
  allowDrift: boolean;
  /** 'sandbox' when no CRM credential is set (local sandboxes, simulated traffic); 'live' otherwise. */
  crmMode: 'sandbox' | 'live';
  contractPath?: string;
  /** The orchestration task queue; the CRM queues are derived from it (api/ids.ts). */
  taskQueue: string;
  /** Workflows the orchestration worker keeps cached between tasks (0: none, every task replays). */
  workflowCacheSize: number;
  /** Worker Versioning's deployment name; unversioned workers when unset (docs/operations.md). */
  workerDeploymentName?: string;
  /** Where reconciliation reports are written and the dashboard reads them. */
  reportDir: string;
  /** The scheduled reconciliation: cadence ('off' for none) and the repair policy (drift classes, or 'none'). */
  reconcile: { every: string; repair?: string };
  temporal: { address: string; namespace: string };
  ingress: { port: number; publicUrl: string };
  linkSigningSecret: string;
  /** callsPer10Seconds: HTTP requests this process may make to HubSpot in any 10 s. */
  hubspot: { baseUrl: string; accessToken?: string; portalId?: string; clientSecret?: string; callsPer10Seconds: number };
  salesforce: {
    loginUrl: string;
    instanceUrl?: string;
    clientId?: string;
    clientSecret?: string;
    accessToken?: string;
    apiVersion: string;
    /** HTTP requests this process may make to Salesforce per second. */
    callsPerSecond: number;
  };
  notify: { smtpUrl?: string; from: string; slackWebhookUrl?: string; teamsWebhookUrl?: string };
  /** No keys: payloads are stored unencrypted (sandbox only; live mode requires keys). */
  /** corsOrigins: the Temporal UI origins allowed to call the codec; the local UI on :8233 when unset. */
  codec: { keys: CodecKey[]; authToken?: string; corsOrigins?: string[] };
  metrics: { port: number };
  /** Headers and whole-request timeouts on every HTTP route, in milliseconds. */
  http: { headersTimeoutMs: number; requestTimeoutMs: number };
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(['Invalid configuration (environment variables):', ...problems.map((p) => `  - ${p}`)].join('\n'));
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Live portals need a complete set of credentials; a half-configured live mode is refused up front. */
function liveModeProblems(env: Env): string[] {
  const problems: string[] = [];
  const need = (name: keyof typeof envSchema.shape, reason: string) => {
    if (env[name] === undefined) problems.push(`${name}: ${reason}`);
  };
  need('HUBSPOT_ACCESS_TOKEN', 'is required when CRM credentials are set (live mode)');
  need('HUBSPOT_PORTAL_ID', 'is required when CRM credentials are set (live mode)');
  need('HUBSPOT_CLIENT_SECRET', 'is required when CRM credentials are set (live mode; verifies webhook signatures)');
  need('SALESFORCE_INSTANCE_URL', 'is required when CRM credentials are set (live mode)');
  if (!env.SALESFORCE_ACCESS_TOKEN) {
    need('SALESFORCE_CLIENT_ID', 'is required in live mode unless SALESFORCE_ACCESS_TOKEN is set');
    need('SALESFORCE_CLIENT_SECRET', 'is required in live mode unless SALESFORCE_ACCESS_TOKEN is set');
  }
  need('CODEC_KEYS', 'is required in live mode (personal data must not sit in Temporal history in plain text)');
  // Without a token the codec serves loopback callers, and a reverse proxy on the same host is one.
  need('CODEC_AUTH_TOKEN', 'is required in live mode (without it the codec would decrypt for any loopback caller, a local reverse proxy included)');
  return problems;
}

/**
 * Commands that never sign a link (reconcile) read the same configuration without demanding
 * LINK_SIGNING_SECRET; their linkSigningSecret is then empty.
 */
const withoutSigningSchema = envSchema.extend({ LINK_SIGNING_SECRET: envSchema.shape.LINK_SIGNING_SECRET.optional() });

export interface LoadConfigOptions {
  /** 'not-needed': the caller signs no links, so LINK_SIGNING_SECRET may be absent. */
  linkSigning?: 'required' | 'not-needed';
}

export function loadConfig(env: Env = process.env, options: LoadConfigOptions = {}): BridgeConfig {
  // Compose files and Kubernetes often pass blank values for unset variables: blank means unset.
  const present = Object.fromEntries(
    CONFIG_VARIABLES.map((name) => [name, env[name]?.trim() ? env[name].trim() : undefined]),
  );
  const crmMode = CRM_CREDENTIAL_VARIABLES.some((name) => present[name] !== undefined) ? 'live' : 'sandbox';
  const parsed = (options.linkSigning === 'not-needed' ? withoutSigningSchema : envSchema).safeParse(present);
  const problems = [
    ...(parsed.error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) ?? []),
    ...(crmMode === 'live' ? liveModeProblems(present) : []),
  ];
  if (!parsed.success || problems.length) throw new ConfigError(problems);
  const e = parsed.data;
  return {
    mode: e.HANDOFF_MODE,
    lanes: e.HANDOFF_WORKER_LANES,
    allowDrift: e.HANDOFF_ALLOW_DRIFT === '1' || e.HANDOFF_ALLOW_DRIFT === 'true',
    crmMode,
    contractPath: e.HANDOFF_CONTRACT,
    taskQueue: e.HANDOFF_TASK_QUEUE,
    workflowCacheSize: e.WORKFLOW_CACHE_SIZE,
    workerDeploymentName: e.WORKER_DEPLOYMENT_NAME,
    reportDir: e.HANDOFF_REPORT_DIR,
    reconcile: { every: e.RECONCILE_EVERY, repair: e.RECONCILE_REPAIR },
    temporal: { address: e.TEMPORAL_ADDRESS, namespace: e.TEMPORAL_NAMESPACE },
    ingress: { port: e.INGRESS_PORT, publicUrl: e.INGRESS_PUBLIC_URL.replace(/\/+$/, '') },
    linkSigningSecret: e.LINK_SIGNING_SECRET ?? '',
    hubspot: {
      baseUrl: e.HUBSPOT_BASE_URL.replace(/\/+$/, ''),
      accessToken: e.HUBSPOT_ACCESS_TOKEN,
      portalId: e.HUBSPOT_PORTAL_ID,
      clientSecret: e.HUBSPOT_CLIENT_SECRET,
      callsPer10Seconds: e.HUBSPOT_CALLS_PER_10_SECONDS,
    },
    salesforce: {
      loginUrl: e.SALESFORCE_LOGIN_URL.replace(/\/+$/, ''),
      instanceUrl: e.SALESFORCE_INSTANCE_URL?.replace(/\/+$/, ''),
      clientId: e.SALESFORCE_CLIENT_ID,
      clientSecret: e.SALESFORCE_CLIENT_SECRET,
      accessToken: e.SALESFORCE_ACCESS_TOKEN,
      apiVersion: e.SALESFORCE_API_VERSION,
      callsPerSecond: e.SALESFORCE_CALLS_PER_SECOND,
    },
    notify: {
      smtpUrl: e.SMTP_URL,
      from: e.SMTP_FROM,
      slackWebhookUrl: e.SLACK_WEBHOOK_URL,
      teamsWebhookUrl: e.TEAMS_WEBHOOK_URL,
    },
    codec: { keys: e.CODEC_KEYS ?? [], authToken: e.CODEC_AUTH_TOKEN, ...(e.CODEC_CORS_ORIGINS ? { corsOrigins: e.CODEC_CORS_ORIGINS } : {}) },
    metrics: { port: e.METRICS_PORT },
    http: { headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_SECONDS * 1000, requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_SECONDS * 1000 },
    logLevel: e.LOG_LEVEL,
  };
}

export interface ClientConfig {
  temporal: { address: string; namespace: string };
  codec: { keys: CodecKey[] };
}

const clientSchema = envSchema.pick({ TEMPORAL_ADDRESS: true, TEMPORAL_NAMESPACE: true, CODEC_KEYS: true });

/**
 * What an operator's command needs to reach Temporal and read payloads: address, namespace and codec
 * keys, without demanding the worker's secrets (LINK_SIGNING_SECRET, CRM credentials).
 */
export function loadClientConfig(env: Env = process.env): ClientConfig {
  const present = Object.fromEntries(
    Object.keys(clientSchema.shape).map((name) => [name, env[name]?.trim() ? env[name].trim() : undefined]),
  );
  const parsed = clientSchema.safeParse(present);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  return {
    temporal: { address: parsed.data.TEMPORAL_ADDRESS, namespace: parsed.data.TEMPORAL_NAMESPACE },
    codec: { keys: parsed.data.CODEC_KEYS ?? [] },
  };
}
