/**
 * `handoff-bridge sandbox`: local HubSpot and Salesforce APIs (and the emulated connector) on
 * loopback, seeded from a seed, printing the URLs and credentials that point the real clients at
 * them. Runs until Ctrl-C. With --snapshot FILE the state survives restarts: a saved file is loaded
 * instead of seeding, and the state is written back every 10 s and on Ctrl-C.
 */
import { SANDBOX_DEFAULTS } from '../../sandbox/defaults';
import type { Command } from '@commander-js/extra-typings';
import { startSandboxes, type Sandboxes } from '../../sandbox';
import { DEFAULT_CONNECTOR_MAPPINGS, includeLeadsAndLater } from '../../sandbox/connector-defaults';
import { generateDataset, seedSandboxes } from '../../sandbox/generator';
import { withExamples } from '../cli/declare';
import { exitWith } from '../cli/errors';
import { listenPort, nonNegativeInteger, positiveInteger } from '../cli/values';

export const summary = 'start local HubSpot and Salesforce sandboxes (and the emulated connector); prints the env to use';

export interface SandboxOptions {
  hubspotPort: number;
  salesforcePort: number;
  seed: number;
  reps: number;
  contacts: number;
  cycleMs: number;
  connector: boolean;
  snapshot?: string;
}

/** Runs the sandboxes until SIGINT/SIGTERM; a busy port or a bad snapshot reaches the CLI's boundary. */
export async function sandbox(options: SandboxOptions): Promise<number> {
  const sandboxes = await startSandboxes({
    hubspot: { port: options.hubspotPort },
    salesforce: { port: options.salesforcePort },
    ...(options.connector ? { connector: { cycleMs: options.cycleMs, fieldMappings: DEFAULT_CONNECTOR_MAPPINGS, inclusion: includeLeadsAndLater } } : {}),
    ...(options.snapshot !== undefined ? { snapshotPath: options.snapshot } : {}),
  });
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

function seed(sandboxes: Sandboxes, options: SandboxOptions): DataCounts {
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

export function register(program: Command): void {
  const command = program
    .command('sandbox')
    .summary(summary)
    .description(`${summary}. Runs until Ctrl-C.`)
    .option('--hubspot-port <port>', 'HubSpot sandbox port (0: any free port)', listenPort, SANDBOX_DEFAULTS.hubspot.port)
    .option('--salesforce-port <port>', 'Salesforce sandbox port (0: any free port)', listenPort, SANDBOX_DEFAULTS.salesforce.port)
    .option('--seed <n>', 'seed of the generated data (same seed, same data)', nonNegativeInteger, 1)
    .option('--reps <n>', 'sales reps (HubSpot owners and Salesforce users)', nonNegativeInteger, 5)
    .option('--contacts <n>', 'HubSpot contacts to generate', nonNegativeInteger, 200)
    .option('--cycle-ms <ms>', "the emulated connector's sync cycle", positiveInteger, 15 * 60 * 1000)
    .option('--no-connector', 'run without the emulated HubSpot–Salesforce connector')
    .option('--snapshot <file>', 'keep the state in FILE across restarts (loaded instead of seeding; saved every 10 s and on exit)');
  withExamples(command, 'sandbox', 'sandbox --hubspot-port 0 --salesforce-port 0 --contacts 20 --snapshot .sandbox.json');
  command.action((options) => exitWith(sandbox(options)));
}
