/**
 * The Temporal server a run targets — the dev server (SQLite, one process) or the production-shape
 * cluster of `npm run cluster` (PostgreSQL, 4 shards) — and one workflow bundle shared by every
 * scenario of a run.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import { clusterStop, clusterUp } from '../../worker/cluster/cluster';
import { startDevServer, type DevServer } from '../../worker/dev-server';
import { defaultToolsDir, provisionTemporal } from '../../worker/temporal-binaries';
import { workflowBundleOptions } from '../../worker/workflow-bundle-options';

export async function temporalBinaries(): Promise<{ cli: string; testServer: string }> {
  return provisionTemporal({ toolsDir: defaultToolsDir() });
}

/** A dev server with the project's search attributes; persisted in `dbFile` when given. */
export async function startTemporal(options: { dbFile?: string; port?: number } = {}): Promise<DevServer> {
  const { cli } = await temporalBinaries();
  return startDevServer({ cliPath: cli, ...options });
}

export const TEMPORAL_TARGETS = ['dev', 'cluster'] as const;
export type TemporalTarget = (typeof TEMPORAL_TARGETS)[number];

export interface BenchTemporal {
  target: TemporalTarget;
  address: string;
  /** Worker processes each bridge run starts: two replicas on the cluster, one on the dev server. */
  workerProcesses: number;
  /** What the run is measured on, for the printed figures. */
  describe: string;
  /** The server's process on this machine (the dev server), for its CPU seconds; undefined for the cluster. */
  pid?: number;
  stop(): Promise<void>;
}

export function parseTemporalTarget(value: string | undefined): TemporalTarget {
  const target = TEMPORAL_TARGETS.find((t) => t === (value ?? 'dev'));
  if (!target) throw new Error(`--temporal must be one of ${TEMPORAL_TARGETS.join(', ')}, got ${JSON.stringify(value)}`);
  return target;
}

/**
 * The dev server (started here, stopped after), or the `npm run cluster` cluster in the project's
 * .data/cluster: used as it is when running, else started here and stopped again after the run.
 */
export async function startTemporalTarget(target: TemporalTarget): Promise<BenchTemporal> {
  if (target === 'dev') {
    const server = await startTemporal();
    return { target, address: server.address, workerProcesses: 1, describe: 'Temporal dev server (SQLite), 1 worker process', pid: server.process.pid, stop: () => server.stop() };
  }
  const cluster = await clusterUp({ progress: (line) => console.log(`[cluster] ${line}`) });
  if (cluster.namespace !== 'default') throw new Error(`the benchmarks use the namespace "default"; the cluster serves "${cluster.namespace}"`);
  return {
    target,
    address: cluster.address,
    workerProcesses: 2,
    describe: `Temporal ${cluster.serverVersion} cluster (PostgreSQL, 4 shards) at ${cluster.address}, 2 worker processes`,
    stop: async () => {
      if (cluster.started) await clusterStop();
    },
  };
}

const quiet = { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: (m: string) => console.error(m) };

/** Bundles the workflows once into `dir`; every worker process of the run loads this file. */
export async function writeWorkflowBundle(dir: string): Promise<string> {
  const { code } = await bundleWorkflowCode(workflowBundleOptions({ logger: quiet }));
  const path = join(dir, 'workflow-bundle.js');
  writeFileSync(path, code);
  return path;
}

export async function connectClient(address: string): Promise<Client> {
  return new Client({ connection: await Connection.connect({ address }) });
}

/**
 * Runs `measure` on a dev server of its own (the run's settings) and a client of it; closes the client,
 * then stops the server, whatever `measure` did.
 */
export async function onOwnDevServer<T>(measure: (server: Pick<BenchTemporal, 'address' | 'pid'>, client: Client) => Promise<T>): Promise<T> {
  const server = await startTemporalTarget('dev');
  try {
    const client = await connectClient(server.address);
    try {
      return await measure(server, client);
    } finally {
      await client.connection.close();
    }
  } finally {
    await server.stop();
  }
}
