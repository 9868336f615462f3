/**
 * `handoff-bridge sandbox`: local HubSpot and Salesforce APIs (and the emulated connector) on
 * loopback, seeded from a seed, printing the URLs and credentials that point the real clients at
 * them. Runs until Ctrl-C. With --snapshot FILE the state survives restarts: a saved file is loaded
 * instead of seeding, and the state is written back every 10 s and on Ctrl-C.
 */
import { SANDBOX_DEFAULTS } from '../../sandbox/defaults';
import { parseArgs } from 'node:util';
import { SandboxSnapshotError, startSandboxes, type Sandboxes } from '../../sandbox';
import { DEFAULT_CONNECTOR_MAPPINGS, includeLeadsAndLater } from '../../sandbox/connector-defaults';
import { generateDataset, seedSandboxes } from '../../sandbox/generator';

export const summary = 'start local HubSpot and Salesforce sandboxes (and the emulated connector); prints the env to use';

const USAGE = `usage: handoff-bridge sandbox [--hubspot-port 4010] [--salesforce-port 4020] [--seed 1] [--reps 5]
                              [--contacts 200] [--cycle-ms 900000] [--no-connector] [--snapshot FILE]`;

function integer(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new RangeError(`--${name} must be a non-negative integer`);
  return parsed;
}

export async function run(args: string[]): Promise<number> {
  let options: ReturnType<typeof parse>;
  try {
    options = parse(args);
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    return 2;
  }
  let sandboxes: Sandboxes;
  try {
    sandboxes = await startSandboxes({
      hubspot: { port: options.hubspotPort },
      salesforce: { port: options.salesforcePort },
      ...(options.connector ? { connector: { cycleMs: options.cycleMs, fieldMappings: DEFAULT_CONNECTOR_MAPPINGS, inclusion: includeLeadsAndLater } } : {}),
      ...(options.snapshot !== undefined ? { snapshotPath: options.snapshot } : {}),
    });
  } catch (err) {
    if (!(err instanceof SandboxSnapshotError)) throw err;
    console.error(err.message);
    return 1;
  }
  const { hubspot, salesforce } = sandboxes;
  const data = sandboxes.snapshot?.restored ? restoredCounts(sandboxes) : seed(sandboxes, options);
  console.log(
    [
      `HubSpot sandbox:    ${hubspot.baseUrl}  (${data.contacts} contacts, ${data.owners} owners; faults at ${hubspot.baseUrl}/__sandbox/faults)`,
      `Salesforce sandbox: ${salesforce.instanceUrl}  (${data.users} reps as users; faults at ${salesforce.instanceUrl}/__sandbox/faults)`,
      `Connector:          ${options.connector ? `every ${options.cycleMs} ms` : 'off'}`,
      `Snapshot:           ${snapshotLine(sandboxes)}`,
      '',
      `export HUBSPOT_BASE_URL=${hubspot.baseUrl}`,
      `export HUBSPOT_ACCESS_TOKEN=${hubspot.accessToken}`,
      `export HUBSPOT_PORTAL_ID=${hubspot.portalId}`,
      `export HUBSPOT_CLIENT_SECRET=${hubspot.clientSecret}`,
      `export SALESFORCE_LOGIN_URL=${salesforce.loginUrl}`,
      `export SALESFORCE_INSTANCE_URL=${salesforce.instanceUrl}`,
      `export SALESFORCE_CLIENT_ID=${salesforce.clientId}`,
      `export SALESFORCE_CLIENT_SECRET=${salesforce.clientSecret}`,
      '',
      'Ctrl-C stops the sandboxes.',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await sandboxes.stop();
  return 0;
}

interface DataCounts {
  contacts: number;
  owners: number;
  users: number;
}

function seed(sandboxes: Sandboxes, options: ReturnType<typeof parse>): DataCounts {
  const seeded = seedSandboxes(generateDataset({ seed: options.seed, reps: options.reps, contacts: options.contacts }), {
    hubspot: sandboxes.hubspot.store,
    salesforce: sandboxes.salesforce.store,
  });
  return { contacts: seeded.contactIds.length, owners: seeded.ownerIds.length, users: seeded.userIds.length };
}

/** A restored snapshot already holds the seeded data (and the demo's changes since): seeding again would duplicate it. */
function restoredCounts(sandboxes: Sandboxes): DataCounts {
  const { hubspot, salesforce } = sandboxes;
  // The integration user is the org's own, not a rep.
  return { contacts: hubspot.store.contacts.size, owners: hubspot.store.owners.size, users: salesforce.store.list('User').length - 1 };
}

function snapshotLine(sandboxes: Sandboxes): string {
  const snapshot = sandboxes.snapshot;
  if (!snapshot) return 'off (state is lost on exit)';
  return `${snapshot.path} (${snapshot.restored ? 'restored' : 'new'}; saved every 10 s and on exit)`;
}

function parse(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      'hubspot-port': { type: 'string' },
      'salesforce-port': { type: 'string' },
      seed: { type: 'string' },
      reps: { type: 'string' },
      contacts: { type: 'string' },
      'cycle-ms': { type: 'string' },
      'no-connector': { type: 'boolean', default: false },
      snapshot: { type: 'string' },
    },
    strict: true,
  });
  return {
    hubspotPort: integer(values['hubspot-port'], SANDBOX_DEFAULTS.hubspot.port, 'hubspot-port'),
    salesforcePort: integer(values['salesforce-port'], SANDBOX_DEFAULTS.salesforce.port, 'salesforce-port'),
    seed: integer(values.seed, 1, 'seed'),
    reps: integer(values.reps, 5, 'reps'),
    contacts: integer(values.contacts, 200, 'contacts'),
    cycleMs: Math.max(1, integer(values['cycle-ms'], 15 * 60 * 1000, 'cycle-ms')),
    connector: !values['no-connector'],
    snapshot: values.snapshot,
  };
}
