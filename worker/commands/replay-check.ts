/**
 * `handoff-bridge replay-check --address HOST:PORT`: before a deploy, replays the histories of running
 * and recently closed handoffs against the workflow bundle about to serve them; exit 1 names each
 * handoff whose replay diverges, and the event where it did.
 */
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, Runtime } from '@temporalio/worker';
import { z } from 'zod';
import { dataConverterFor } from '../codec';
import { ConfigError, loadClientConfig } from '../config';
import { replayCheck, type ReplayCheckReport } from '../replay/replay-check';
import { prebuiltWorkflowBundle } from '../workflow-bundle';
import { workflowBundleOptions } from '../workflow-bundle-options';

export const summary = 'replay running and recently closed handoffs from a cluster against the current workflow bundle (exit 1 on divergence)';

const USAGE = [
  'usage: handoff-bridge replay-check [--address HOST:PORT] [--namespace NS] [--since-hours 72]',
  '                                   [--bundle dist/workflow-bundle.js] [--query "VISIBILITY FILTER"] [--limit N]',
  '                                   [--workflow-type leadHandoff]',
  '',
  'Address and namespace default to TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE; CODEC_KEYS decrypts payloads.',
  'Without --bundle: the prebuilt bundle when it matches the sources, else one bundled from them.',
].join('\n');

const optionsSchema = z.object({
  address: z.string().regex(/^[^\s:]+:\d+$/, '--address must be host:port').optional(),
  namespace: z.string().min(1).optional(),
  'since-hours': z.coerce.number().positive({ error: '--since-hours must be a positive number of hours' }).default(72),
  bundle: z.string().min(1).optional(),
  query: z.string().min(1).optional(),
  limit: z.coerce.number().int().positive({ error: '--limit must be a positive whole number' }).optional(),
  'workflow-type': z.string().min(1).default('leadHandoff'),
});

function parse(args: string[]): z.infer<typeof optionsSchema> | string {
  try {
    const { values } = parseArgs({
      args,
      options: { address: { type: 'string' }, namespace: { type: 'string' }, 'since-hours': { type: 'string' }, bundle: { type: 'string' }, query: { type: 'string' }, limit: { type: 'string' }, 'workflow-type': { type: 'string' } },
    });
    const parsed = optionsSchema.safeParse(values);
    return parsed.success ? parsed.data : parsed.error.issues.map((i) => i.message).join('\n');
  } catch (err) {
    return (err as Error).message;
  }
}

function print(report: ReplayCheckReport, bundle: string): void {
  console.log(`replayed ${report.replayed} histories against ${bundle}`);
  console.log(`  query: ${report.query}`);
  const [first] = report.divergences;
  if (!first) {
    console.log('OK: every history replays with this bundle.');
    return;
  }
  console.error(`DIVERGED: ${report.divergences.length} of ${report.replayed} histories would fail on this bundle.`);
  console.error(`first divergence: workflow ${first.workflowId} (run ${first.runId}) at ${first.event ?? 'an event the error does not name'}:`);
  console.error(`  ${first.message}`);
  for (const d of report.divergences.slice(1, 10)) console.error(`  also: ${d.workflowId} at ${d.event ?? '?'}`);
}

/** The SDK logs each replay worker's state changes at INFO: an operator needs only the verdict. */
function quietRuntime(): void {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // A Runtime exists already (a test process): keep it.
  }
}

export async function run(args: string[]): Promise<number> {
  const options = parse(args);
  if (typeof options === 'string') {
    console.error(`${options}\n\n${USAGE}`);
    return 2;
  }
  let config;
  try {
    config = loadClientConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    return 1;
  }
  quietRuntime();
  const bundle = options.bundle ? { codePath: options.bundle } : (prebuiltWorkflowBundle() ?? (await bundleWorkflowCode(workflowBundleOptions({ logger: new DefaultLogger('WARN') }))));
  const connection = await Connection.connect({ address: options.address ?? config.temporal.address });
  try {
    const client = new Client({ connection, namespace: options.namespace ?? config.temporal.namespace });
    const report = await replayCheck({
      client,
      bundle,
      sinceHours: options['since-hours'],
      query: options.query,
      limit: options.limit,
      workflowType: options['workflow-type'],
      dataConverter: config.codec.keys.length ? dataConverterFor(config.codec.keys) : undefined,
    });
    print(report, 'codePath' in bundle ? bundle.codePath : 'the workflows bundled from source');
    return report.divergences.length ? 1 : 0;
  } finally {
    await connection.close();
  }
}
