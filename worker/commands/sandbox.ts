/**
 * `handoff-bridge sandbox`: local HubSpot and Salesforce APIs (and the emulated connector) on
 * loopback, seeded from a seed, printing the URLs and credentials that point the real clients at
 * them. Runs until Ctrl-C.
 */
import { SANDBOX_DEFAULTS } from '../../sandbox/defaults';
import { parseArgs } from 'node:util';
import { startSandboxes } from '../../sandbox';
import { DEFAULT_CONNECTOR_MAPPINGS, includeLeadsAndLater } from '../../sandbox/connector-defaults';
import { generateDataset, seedSandboxes } from '../../sandbox/generator';

export const summary = 'start local HubSpot and Salesforce sandboxes (and the emulated connector); prints the env to use';

const USAGE = `usage: handoff-bridge sandbox [--hubspot-port 4010] [--salesforce-port 4020] [--seed 1] [--reps 5]
                              [--contacts 200] [--cycle-ms 900000] [--no-connector]`;

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
  const sandboxes = await startSandboxes({
    hubspot: { port: options.hubspotPort },
    salesforce: { port: options.salesforcePort },
    ...(options.connector ? { connector: { cycleMs: options.cycleMs, fieldMappings: DEFAULT_CONNECTOR_MAPPINGS, inclusion: includeLeadsAndLater } } : {}),
  });
  const seeded = seedSandboxes(generateDataset({ seed: options.seed, reps: options.reps, contacts: options.contacts }), {
    hubspot: sandboxes.hubspot.store,
    salesforce: sandboxes.salesforce.store,
  });
  const { hubspot, salesforce } = sandboxes;
  console.log(
    [
      `HubSpot sandbox:    ${hubspot.baseUrl}  (${seeded.contactIds.length} contacts, ${seeded.ownerIds.length} owners; faults at ${hubspot.baseUrl}/__sandbox/faults)`,
      `Salesforce sandbox: ${salesforce.instanceUrl}  (${seeded.userIds.length} reps as users; faults at ${salesforce.instanceUrl}/__sandbox/faults)`,
      `Connector:          ${options.connector ? `every ${options.cycleMs} ms` : 'off'}`,
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
  };
}
