/**
 * `handoff-bridge cluster [--stop|--reset]` (also `npm run cluster`): a production-shape Temporal
 * cluster on this machine — PostgreSQL, the Temporal server with 4 history shards and PostgreSQL
 * visibility, the namespace and the search attributes — installing what is missing first.
 */
import { ClusterError } from '../cluster/run-command';
import { clusterReset, clusterStop, clusterUp } from '../cluster/cluster';

export const summary = 'run a local Temporal cluster on PostgreSQL (installs what is missing); --stop, --reset';

const USAGE = 'usage: handoff-bridge cluster [--stop | --reset]   (TEMPORAL_NAMESPACE picks the namespace; default "default")';

export async function run(args: string[]): Promise<number> {
  const [flag, ...extra] = args;
  if (extra.length || (flag !== undefined && flag !== '--stop' && flag !== '--reset')) {
    console.error(USAGE);
    return 2;
  }
  try {
    if (flag === '--stop') {
      console.log((await clusterStop()) ? 'cluster stopped (data kept; `handoff-bridge cluster` starts it again)' : 'cluster was not running');
      return 0;
    }
    if (flag === '--reset') {
      await clusterReset();
      console.log('cluster stopped and its data deleted');
      return 0;
    }
    const cluster = await clusterUp({ namespace: process.env.TEMPORAL_NAMESPACE || undefined, progress: (line) => console.log(line) });
    console.log(cluster.started ? `Temporal ${cluster.serverVersion} cluster ready.` : `Temporal ${cluster.serverVersion} cluster already running.`);
    console.log(`  address:   ${cluster.address}`);
    console.log(`  namespace: ${cluster.namespace}`);
    console.log(`  data:      ${cluster.dataDir}   log: ${cluster.serverLog}`);
    console.log(`Point the bridge at it: TEMPORAL_ADDRESS=${cluster.address} TEMPORAL_NAMESPACE=${cluster.namespace}`);
    return 0;
  } catch (err) {
    if (!(err instanceof ClusterError)) throw err;
    console.error(err.message);
    return 1;
  }
}
