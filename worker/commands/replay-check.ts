/**
 * `handoff-bridge replay-check --address HOST:PORT`: before a deploy, replays the histories of running
 * and recently closed handoffs against the workflow bundle about to serve them; exit 1 names each
 * handoff whose replay diverges, and the event where it did.
 */
import type { Command } from '@commander-js/extra-typings';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, Runtime } from '@temporalio/worker';
import { dataConverterFor } from '../codec';
import { withExamples } from '../cli/declare';
import { exitWith } from '../cli/errors';
import { positiveInteger, validated } from '../cli/values';
import { loadClientConfig } from '../config';
import { replayCheck, type ReplayCheckReport } from '../replay/replay-check';
import { prebuiltWorkflowBundle } from '../workflow-bundle';
import { workflowBundleOptions } from '../workflow-bundle-options';

export const summary = 'replay running and recently closed handoffs from a cluster against the current workflow bundle (exit 1 on divergence)';

interface ReplayCheckOptions {
  address?: string;
  namespace?: string;
  sinceHours: number;
  bundle?: string;
  query?: string;
  limit?: number;
  workflowType: string;
}

const hostPort = validated((value: string) => {
  if (!/^[^\s:]+:\d+$/.test(value)) throw new Error('must be host:port');
  return value;
});

const positiveHours = validated((value: string) => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new Error('must be a positive number of hours');
  return n;
});

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

export async function replayCheckCommand(options: ReplayCheckOptions): Promise<number> {
  const config = loadClientConfig();
  quietRuntime();
  const bundle = options.bundle ? { codePath: options.bundle } : (prebuiltWorkflowBundle() ?? (await bundleWorkflowCode(workflowBundleOptions({ logger: new DefaultLogger('WARN') }))));
  const connection = await Connection.connect({ address: options.address ?? config.temporal.address });
  try {
    const client = new Client({ connection, namespace: options.namespace ?? config.temporal.namespace });
    const report = await replayCheck({
      client,
      bundle,
      sinceHours: options.sinceHours,
      query: options.query,
      limit: options.limit,
      workflowType: options.workflowType,
      dataConverter: config.codec.keys.length ? dataConverterFor(config.codec.keys) : undefined,
    });
    print(report, 'codePath' in bundle ? bundle.codePath : 'the workflows bundled from source');
    return report.divergences.length ? 1 : 0;
  } finally {
    await connection.close();
  }
}

export function register(program: Command): void {
  const command = program
    .command('replay-check')
    .summary(summary)
    .description(
      `${summary}. Address and namespace default to TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE; CODEC_KEYS decrypts payloads. Without --bundle: the prebuilt bundle when it matches the sources, else one bundled from them.`,
    )
    .option('--address <host:port>', 'the Temporal frontend to read histories from (default: $TEMPORAL_ADDRESS)', hostPort)
    .option('--namespace <ns>', 'the namespace (default: $TEMPORAL_NAMESPACE)')
    .option('--since-hours <hours>', 'replay handoffs open or closed within this many hours', positiveHours, 72)
    .option('--bundle <file>', 'the workflow bundle about to be deployed (e.g. dist/workflow-bundle.js)')
    .option('--query <filter>', 'a visibility filter instead of the default one')
    .option('--limit <n>', 'replay at most N histories', positiveInteger)
    .option('--workflow-type <type>', 'the workflow type to replay', 'leadHandoff');
  withExamples(command, 'replay-check --address temporal.internal:7233', 'replay-check --bundle dist/workflow-bundle.js --since-hours 24');
  command.action((options) => exitWith(replayCheckCommand(options)));
}
