/**
 * `handoff-bridge sandbox`: local HubSpot and Salesforce APIs (and the emulated connector) on
 * loopback, printing the URLs and credentials that point the real clients at them. Runs until Ctrl-C.
 * The org is made to match the contract the bridge will run (reps with the contract's user ids and
 * owners, fields, options, nurture lists), then seeded with one contact ready to qualify and generated
 * ones. With --webhook-url the sandbox delivers HubSpot's signed webhooks there, so `sandbox` +
 * `serve` + one lifecycle change run a handoff end to end. With --snapshot FILE the state survives
 * restarts: a saved file is loaded instead of seeding, and written back every 10 s and on Ctrl-C.
 */
import { SANDBOX_DEFAULTS } from '../../sandbox/defaults';
import type { Command } from '@commander-js/extra-typings';
import { startSandboxes, type Sandboxes } from '../../sandbox';
import { HUBSPOT_PROPERTIES as P } from '../../mappings/crm';
import { defaultContractPath, loadContract } from '../../mappings/load';
import { evaluatePredicate, type Contract } from '../../mappings/contract';
import { seedOrgForContract } from '../../sandbox/contract-org';
import { mqlContactProperties } from '../../sandbox/prepare-portal';
import { generateDataset, seedSandboxes } from '../../sandbox/generator';
import { withExamples } from '../cli/declare';
import { exitWith } from '../cli/errors';
import { httpUrl, listenPort, nonNegativeInteger, positiveInteger } from '../cli/values';

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
  /** The contract the org is made to match (default: $HANDOFF_CONTRACT, else the built-in one). */
  contract?: string;
  /** Where HubSpot's signed (v3) webhooks are delivered. */
  webhookUrl?: string;
}

/** Runs the sandboxes until SIGINT/SIGTERM; a bad contract, a busy port or a bad snapshot reaches the CLI's boundary. */
export async function sandbox(options: SandboxOptions): Promise<number> {
  const contractPath = options.contract ?? defaultContractPath();
  const contract = loadContract(contractPath);
  const sandboxes = await startSandboxes({
    hubspot: { port: options.hubspotPort },
    salesforce: { port: options.salesforcePort },
    // The connector syncs as the contract says it is configured: its field mappings and inclusion list.
    ...(options.connector
      ? { connector: { cycleMs: options.cycleMs, fieldMappings: contract.fieldMappings, inclusion: (properties) => contract.connector.inclusion.every((p) => evaluatePredicate(p, properties, new Date())) } }
      : {}),
    ...(options.snapshot !== undefined ? { snapshotPath: options.snapshot } : {}),
  });
  const { hubspot, salesforce } = sandboxes;
  const data = sandboxes.snapshot?.restored ? restoredCounts(sandboxes) : seed(sandboxes, contract, options);
  // Configured after seeding: the seeded contacts are the portal's past, not events for the bridge.
  if (options.webhookUrl) {
    const subscribed = [...new Set([P.lifecycleStage, ...contract.dataCompleteness.requiredProperties])];
    hubspot.webhooks.configure({ targetUrl: options.webhookUrl, subscriptions: subscribed.map((propertyName, i) => ({ id: i + 1, propertyName })), retryBaseMs: 2_000 });
  }
  // Listening before the line that says Ctrl-C stops them: a Ctrl-C sent the moment it is printed
  // would otherwise find no handler and kill the process before the sandboxes (and their snapshot) stop.
  const interrupted = new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  console.log(
    [
      `HubSpot sandbox:    ${hubspot.baseUrl}  (${data.contacts} contacts, ${data.owners} owners; faults at ${hubspot.baseUrl}/__sandbox/faults)`,
      `Salesforce sandbox: ${salesforce.instanceUrl}  (${data.users} reps as users; faults at ${salesforce.instanceUrl}/__sandbox/faults)`,
      `Contract:           ${contractPath} (its reps, fields, options and nurture lists exist in the sandboxes)`,
      `Connector:          ${options.connector ? `every ${options.cycleMs} ms` : 'off'}`,
      `Webhooks:           ${options.webhookUrl ?? 'off (--webhook-url URL delivers them, signed v3)'}`,
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
      ...(data.readyContactId
        ? [
            `Contact ${data.readyContactId} meets the contract's MQL definition; qualify it (the bridge starts its handoff):`,
            `  ${qualifyCommand(hubspot.baseUrl, hubspot.accessToken, data.readyContactId)}`,
            '',
          ]
        : []),
      'Ctrl-C stops the sandboxes.',
    ].join('\n'),
  );
  await interrupted;
  await sandboxes.stop();
  return 0;
}

interface DataCounts {
  contacts: number;
  owners: number;
  users: number;
  /** A contact at lifecycle `lead` that qualifies as an MQL under the default contract. */
  readyContactId?: string;
}

/** The one curl line that makes the ready contact an MQL, as a marketer's workflow would. */
export function qualifyCommand(baseUrl: string, accessToken: string, contactId: string): string {
  return `curl -X PATCH ${baseUrl}/crm/v3/objects/contacts/${contactId} -H 'authorization: Bearer ${accessToken}' -H 'content-type: application/json' -d '{"properties":{"lifecyclestage":"marketingqualifiedlead"}}'`;
}

function seed(sandboxes: Sandboxes, contract: Contract, options: SandboxOptions): DataCounts {
  const stores = { hubspot: sandboxes.hubspot.store, salesforce: sandboxes.salesforce.store };
  const org = seedOrgForContract(contract, stores);
  const ready = stores.hubspot.createContact(mqlContactProperties({ lifecyclestage: 'lead' }), 'IMPORT').id;
  const seeded = seedSandboxes(generateDataset({ seed: options.seed, reps: options.reps, contacts: options.contacts }), stores);
  return {
    contacts: seeded.contactIds.length + 1,
    owners: org.ownerIds.length + seeded.ownerIds.length,
    users: org.userIds.length + seeded.userIds.length,
    readyContactId: ready,
  };
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
    .description(`${summary}. The org matches the contract (reps, owners, fields, options, nurture lists) and holds one contact ready to qualify. Runs until Ctrl-C.`)
    .option('--hubspot-port <port>', 'HubSpot sandbox port (0: any free port)', listenPort, SANDBOX_DEFAULTS.hubspot.port)
    .option('--salesforce-port <port>', 'Salesforce sandbox port (0: any free port)', listenPort, SANDBOX_DEFAULTS.salesforce.port)
    .option('--seed <n>', 'seed of the generated data (same seed, same data)', nonNegativeInteger, 1)
    .option('--reps <n>', 'sales reps (HubSpot owners and Salesforce users)', nonNegativeInteger, 5)
    .option('--contacts <n>', 'HubSpot contacts to generate', nonNegativeInteger, 200)
    .option('--cycle-ms <ms>', "the emulated connector's sync cycle", positiveInteger, 15 * 60 * 1000)
    .option('--no-connector', 'run without the emulated HubSpot–Salesforce connector')
    .option('--snapshot <file>', 'keep the state in FILE across restarts (loaded instead of seeding; saved every 10 s and on exit)')
    .option('--contract <file>', 'the contract the org is made to match (default: $HANDOFF_CONTRACT, else the built-in one)')
    .option('--webhook-url <url>', 'deliver HubSpot webhooks (signed v3) there, e.g. http://127.0.0.1:8787/webhooks/hubspot', httpUrl);
  withExamples(
    command,
    'sandbox',
    'sandbox --webhook-url http://127.0.0.1:8787/webhooks/hubspot',
    'sandbox --hubspot-port 0 --salesforce-port 0 --contacts 20 --snapshot .sandbox.json',
  );
  command.action((options) => exitWith(sandbox(options)));
}
