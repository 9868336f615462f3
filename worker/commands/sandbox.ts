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
import { parseArgs } from 'node:util';
import { SandboxSnapshotError, startSandboxes, type Sandboxes } from '../../sandbox';
import { HUBSPOT_PROPERTIES as P } from '../../mappings/crm-fields';
import { ContractError, defaultContractPath, loadContract } from '../../mappings/load';
import { evaluatePredicate } from '../../mappings/predicates';
import type { Contract } from '../../mappings/schema';
import { seedOrgForContract } from '../../sandbox/contract-org';
import { mqlContactProperties } from '../../sandbox/demo-portal';
import { generateDataset, seedSandboxes } from '../../sandbox/generator';

export const summary = 'start local HubSpot and Salesforce sandboxes (and the emulated connector); prints the env to use';

const USAGE = `usage: handoff-bridge sandbox [--hubspot-port 4010] [--salesforce-port 4020] [--seed 1] [--reps 5]
                              [--contacts 200] [--cycle-ms 900000] [--no-connector] [--snapshot FILE]
                              [--contract FILE] [--webhook-url URL]
  --contract FILE    the contract the org is made to match (default: $HANDOFF_CONTRACT, else the built-in one)
  --webhook-url URL  deliver HubSpot webhooks (signed v3) there, e.g. http://127.0.0.1:8787/webhooks/hubspot`;

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
  let contract: Contract;
  try {
    contract = loadContract(options.contract);
  } catch (err) {
    if (!(err instanceof ContractError)) throw err;
    console.error(err.message);
    return 1;
  }
  let sandboxes: Sandboxes;
  try {
    sandboxes = await startSandboxes({
      hubspot: { port: options.hubspotPort },
      salesforce: { port: options.salesforcePort },
      // The connector syncs as the contract says it is configured: its field mappings and inclusion list.
      ...(options.connector
        ? { connector: { cycleMs: options.cycleMs, fieldMappings: contract.fieldMappings, inclusion: (properties) => contract.connector.inclusion.every((p) => evaluatePredicate(p, properties, new Date())) } }
        : {}),
      ...(options.snapshot !== undefined ? { snapshotPath: options.snapshot } : {}),
    });
  } catch (err) {
    if (!(err instanceof SandboxSnapshotError)) throw err;
    console.error(err.message);
    return 1;
  }
  const { hubspot, salesforce } = sandboxes;
  const data = sandboxes.snapshot?.restored ? restoredCounts(sandboxes) : seed(sandboxes, contract, options);
  // Configured after seeding: the seeded contacts are the portal's past, not events for the bridge.
  if (options.webhookUrl) {
    const subscribed = [...new Set([P.lifecycleStage, ...contract.dataCompleteness.requiredProperties])];
    hubspot.webhooks.configure({ targetUrl: options.webhookUrl, subscriptions: subscribed.map((propertyName, i) => ({ id: i + 1, propertyName })), retryBaseMs: 2_000 });
  }
  console.log(
    [
      `HubSpot sandbox:    ${hubspot.baseUrl}  (${data.contacts} contacts, ${data.owners} owners; faults at ${hubspot.baseUrl}/__sandbox/faults)`,
      `Salesforce sandbox: ${salesforce.instanceUrl}  (${data.users} reps as users; faults at ${salesforce.instanceUrl}/__sandbox/faults)`,
      `Contract:           ${options.contract} (its reps, fields, options and nurture lists exist in the sandboxes)`,
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
  /** A contact at lifecycle `lead` that qualifies as an MQL under the default contract. */
  readyContactId?: string;
}

/** The one curl line that makes the ready contact an MQL, as a marketer's workflow would. */
export function qualifyCommand(baseUrl: string, accessToken: string, contactId: string): string {
  return `curl -X PATCH ${baseUrl}/crm/v3/objects/contacts/${contactId} -H 'authorization: Bearer ${accessToken}' -H 'content-type: application/json' -d '{"properties":{"lifecyclestage":"marketingqualifiedlead"}}'`;
}

function seed(sandboxes: Sandboxes, contract: Contract, options: ReturnType<typeof parse>): DataCounts {
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
      contract: { type: 'string' },
      'webhook-url': { type: 'string' },
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
    contract: values.contract ?? defaultContractPath(),
    webhookUrl: webhookUrl(values['webhook-url']),
  };
}

function webhookUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) throw new RangeError(`--webhook-url must be an http(s) URL, got "${value}"`);
  return value;
}
