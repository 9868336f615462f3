/**
 * A private production-shape cluster for one test file (its own PostgreSQL data directory in a temp
 * folder, removed afterwards), or the reason it cannot run here: only a missing Go or PostgreSQL that
 * cannot be installed makes the tests skip; any other failure fails them.
 */
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clusterReset, clusterUp, type RunningCluster } from '../../worker/cluster/cluster';
import { ClusterPrerequisiteError } from '../../worker/cluster/run-command';

export type TestCluster = { cluster: RunningCluster; skip?: undefined; stop(): Promise<void> } | { cluster?: undefined; skip: string; stop(): Promise<void> };

export async function startTestCluster(): Promise<TestCluster> {
  const dataDir = mkdtempSync(join(tmpdir(), 'handoff-bridge-cluster-'));
  // PostgreSQL runs as an unprivileged user, who must be able to reach its data directory inside.
  chmodSync(dataDir, 0o755);
  const stop = () => clusterReset({ dataDir });
  try {
    const cluster = await clusterUp({ dataDir, progress: (line) => console.log(`[cluster] ${line}`) });
    return { cluster, stop };
  } catch (err) {
    await stop();
    if (err instanceof ClusterPrerequisiteError) {
      console.warn(`SKIPPED: the cluster tests need Go and PostgreSQL: ${err.message}`);
      return { skip: err.message, stop: () => Promise.resolve() };
    }
    throw err;
  }
}
