/**
 * `handoff-bridge cluster [--stop|--reset]` (also `npm run cluster`): a production-shape Temporal
 * cluster on this machine — PostgreSQL, the Temporal server with 4 history shards and PostgreSQL
 * visibility, the namespace and the search attributes — installing what is missing first.
 */
import type { Command } from '@commander-js/extra-typings';
import { usageError, withExamples } from '../cli/declare';
import { exitWith } from '../cli/errors';
import { ClusterError } from '../cluster/run-command';
import { clusterReset, clusterStop, clusterUp } from '../cluster/cluster';

export const summary = 'run a local Temporal cluster on PostgreSQL (installs what is missing); --stop, --reset';

export async function cluster(options: { stop?: boolean; reset?: boolean }): Promise<number> {
  try {
    if (options.stop) {
      console.log((await clusterStop()) ? 'cluster stopped (data kept; `handoff-bridge cluster` starts it again)' : 'cluster was not running');
      return 0;
    }
    if (options.reset) {
      await clusterReset();
      console.log('cluster stopped and its data deleted');
      return 0;
    }
    const up = await clusterUp({ namespace: process.env.TEMPORAL_NAMESPACE || undefined, progress: (line) => console.log(line) });
    console.log(up.started ? `Temporal ${up.serverVersion} cluster ready.` : `Temporal ${up.serverVersion} cluster already running.`);
    console.log(`  address:   ${up.address}`);
    console.log(`  namespace: ${up.namespace}`);
    console.log(`  data:      ${up.dataDir}   log: ${up.serverLog}`);
    console.log(`Point the bridge at it: TEMPORAL_ADDRESS=${up.address} TEMPORAL_NAMESPACE=${up.namespace}`);
    return 0;
  } catch (err) {
    if (!(err instanceof ClusterError)) throw err;
    console.error(err.message);
    return 1;
  }
}

export function register(program: Command): void {
  const command = program
    .command('cluster')
    .summary(summary)
    .description(
      `${summary}. Builds the Temporal server and its sql tool into .tools on first use (several minutes), keeps data in .data/cluster; TEMPORAL_NAMESPACE picks the namespace (default "default").`,
    )
    .option('--stop', 'stop the cluster, keeping its data')
    .option('--reset', 'stop the cluster and delete its data');
  withExamples(command, 'cluster', 'cluster --stop', 'cluster --reset');
  command.action((options, self) => {
    if (options.stop && options.reset) usageError(self, "options '--stop' and '--reset' cannot be used together");
    return exitWith(cluster(options));
  });
}
