/**
 * The knobs of `npm start`'s sandbox demo, read from the environment and validated with zod like the
 * bridge's own config: one error naming every wrong variable. The bridge's variables (INGRESS_PORT,
 * METRICS_PORT, LINK_SIGNING_SECRET, …) stay in worker/config.ts; these only shape the simulation and
 * where the local servers listen.
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../config';

const PROJECT_ROOT = resolve(import.meta.dirname, '..', '..');

const port = z.coerce.number({ error: 'must be a port 0-65535' }).int('must be a whole number').min(0, 'must be a port 0-65535').max(65535, 'must be a port 0-65535');
const count = (min: number, max: number) =>
  z.coerce.number({ error: `must be a whole number ${min}-${max}` }).int(`must be a whole number ${min}-${max}`).min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);

const demoEnvSchema = z.object({
  HANDOFF_DATA_DIR: z.string().min(1).default(resolve(PROJECT_ROOT, '.data')),
  TEMPORAL_PORT: port.default(7233),
  TEMPORAL_UI_PORT: port.default(8233),
  HUBSPOT_SANDBOX_PORT: port.default(4010),
  SALESFORCE_SANDBOX_PORT: port.default(4020),
  HANDOFF_DEMO_LEADS: count(1, 500).default(30),
  HANDOFF_DEMO_EXIT: z.enum(['0', '1'], { error: 'must be 0 or 1' }).default('0'),
  // The acceptance window is a whole number of business minutes in the contract: 1 is the floor.
  HANDOFF_DEMO_WINDOW_MINUTES: count(1, 60).default(2),
  HANDOFF_DEMO_REASSIGN_LIMIT: count(0, 2).default(1),
  HANDOFF_DEMO_SYNC_SECONDS: count(1, 900).default(20),
  HANDOFF_DEMO_PACE_MS: count(50, 60_000).default(3_000),
  HANDOFF_DEMO_SEED: count(0, 2 ** 31 - 1).default(7),
});

export interface DemoSettings {
  /** Where the dev server's SQLite file, the demo's codec key and the bridge log live. */
  dataDir: string;
  temporalPort: number;
  temporalUiPort: number;
  sandboxPorts: { hubspot: number; salesforce: number };
  leads: number;
  /** Exit once the report is printed (CI, tests) instead of serving until Ctrl-C. */
  exitWhenDone: boolean;
  windowMinutes: number;
  reassignLimit: number;
  /** The emulated connector's cycle: the sync lag the handoffs have to live with. */
  syncSeconds: number;
  /** Time between two leads becoming MQLs. */
  paceMs: number;
  seed: number;
}

export function loadDemoSettings(env: Record<string, string | undefined> = process.env): DemoSettings {
  const present = Object.fromEntries(Object.keys(demoEnvSchema.shape).map((name) => [name, env[name]?.trim() ? env[name].trim() : undefined]));
  const parsed = demoEnvSchema.safeParse(present);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  const e = parsed.data;
  return {
    dataDir: resolve(e.HANDOFF_DATA_DIR),
    temporalPort: e.TEMPORAL_PORT,
    temporalUiPort: e.TEMPORAL_UI_PORT,
    sandboxPorts: { hubspot: e.HUBSPOT_SANDBOX_PORT, salesforce: e.SALESFORCE_SANDBOX_PORT },
    leads: e.HANDOFF_DEMO_LEADS,
    exitWhenDone: e.HANDOFF_DEMO_EXIT === '1',
    windowMinutes: e.HANDOFF_DEMO_WINDOW_MINUTES,
    reassignLimit: e.HANDOFF_DEMO_REASSIGN_LIMIT,
    syncSeconds: e.HANDOFF_DEMO_SYNC_SECONDS,
    paceMs: e.HANDOFF_DEMO_PACE_MS,
    seed: e.HANDOFF_DEMO_SEED,
  };
}
