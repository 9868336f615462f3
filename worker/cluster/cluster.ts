/**
 * The local production-shape Temporal cluster: PostgreSQL 15 (persistence and advanced visibility),
 * the Temporal server built from source at the pinned version with 4 history shards, the namespace and
 * the bridge's search attributes. `clusterUp` is idempotent: a running cluster is reported as it is.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Client, Connection, isGrpcServiceError } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { z } from 'zod';
import { portFree, quietPort } from '../dev-server';
import { ensureSearchAttributes } from '../commands/setup-temporal';
import { ensurePostgres, ensureTemporalBinaries, POSTGRES_BIN_DIR, type Progress } from './install';
import { clusterLayout, TEMPORAL_SERVER_VERSION, type ClusterLayout } from './layout';
import { initPostgres, postgresRunning, postgresUser, startPostgres, stopPostgres } from './postgres';
import { applySchemas } from './schema';
import { CLUSTER_PORTS, writeServerConfig, type ClusterPorts } from './server-config';
import { isServerProcess, startServerProcess, stopServerProcess, waitForFrontend } from './server-process';
import { ClusterError } from './run-command';

export interface ClusterOptions {
  /** Defaults: .tools and .data/cluster in the project. */
  toolsDir?: string;
  dataDir?: string;
  namespace?: string;
  progress?: Progress;
}

export interface RunningCluster {
  address: string;
  namespace: string;
  serverVersion: string;
  dataDir: string;
  serverLog: string;
  /** Whether this call started it (false: it was already running). */
  started: boolean;
}

const GRPC_ALREADY_EXISTS = 6;
const NAMESPACE_RETENTION = '7 days';

const stateSchema = z.object({
  serverVersion: z.string(),
  namespace: z.string(),
  ports: z.object(Object.fromEntries(CLUSTER_PORTS.map((name) => [name, z.number().int().positive()])) as Record<keyof ClusterPorts, z.ZodNumber>),
  serverPid: z.number().int().positive().optional(),
});
type ClusterState = z.infer<typeof stateSchema>;

function readState(layout: ClusterLayout): ClusterState | undefined {
  if (!existsSync(layout.stateFile)) return undefined;
  const parsed = stateSchema.safeParse(JSON.parse(readFileSync(layout.stateFile, 'utf8')));
  return parsed.success ? parsed.data : undefined;
}

function writeState(layout: ClusterLayout, state: ClusterState): void {
  writeFileSync(layout.stateFile, `${JSON.stringify(state, null, 2)}\n`);
}

/** The previous run's ports where still free (the address stays the same across restarts), else new ones. */
async function allocatePorts(previous: ClusterPorts | undefined, postgresUp: boolean): Promise<ClusterPorts> {
  const ports: Partial<ClusterPorts> = {};
  const taken = new Set<number>();
  for (const name of CLUSTER_PORTS) {
    const before = previous?.[name];
    if (name === 'postgres' && postgresUp && before) ports.postgres = before;
    else if (before && (await portFree(before))) ports[name] = before;
    else {
      // Below 32768 (quietPort): the server stores membership ports in a PostgreSQL smallint, and the
      // processes bind theirs seconds later, when an ephemeral port may have been taken meanwhile.
      let port = await quietPort();
      while (taken.has(port)) port = await quietPort();
      ports[name] = port;
    }
    taken.add(ports[name] ?? 0);
  }
  return ports as ClusterPorts;
}

function frontendAddress(ports: ClusterPorts): string {
  return `127.0.0.1:${ports.frontend}`;
}

async function retry<T>(what: string, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline) throw new ClusterError(`${what}: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/** Registers the namespace (if new) and the bridge's search attributes on it. */
async function prepareNamespace(address: string, namespace: string): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    await retry(`registering namespace ${namespace}`, 60_000, async () => {
      try {
        await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs(NAMESPACE_RETENTION) });
      } catch (err) {
        if (!(isGrpcServiceError(err) && Number(err.code) === GRPC_ALREADY_EXISTS)) throw err;
      }
    });
    // The frontend learns of a new namespace on its next registry refresh (seconds).
    const client = new Client({ connection, namespace });
    await retry(`creating the search attributes in ${namespace}`, 60_000, async () => {
      await connection.workflowService.describeNamespace({ namespace });
      await ensureSearchAttributes(client);
      await client.workflow.count('');
    });
  } finally {
    await connection.close();
  }
}

export async function clusterUp(options: ClusterOptions = {}): Promise<RunningCluster> {
  const layout = clusterLayout(options);
  const progress = options.progress ?? (() => undefined);
  const namespace = options.namespace ?? 'default';
  const previous = readState(layout);
  const running = (started: boolean, state: ClusterState): RunningCluster => ({
    address: frontendAddress(state.ports),
    namespace: state.namespace,
    serverVersion: state.serverVersion,
    dataDir: layout.dataDir,
    serverLog: layout.serverLog,
    started,
  });
  if (previous && isServerProcess(layout, previous.serverPid)) {
    if (previous.namespace !== namespace) await prepareNamespace(frontendAddress(previous.ports), namespace);
    return running(false, { ...previous, namespace });
  }

  mkdirSync(layout.dataDir, { recursive: true });
  const [binDir] = await Promise.all([ensurePostgres(progress), ensureTemporalBinaries(layout, progress)]);
  const user = postgresUser();
  const pgUp = postgresRunning(layout.pgDir) && previous !== undefined;
  const ports = await allocatePorts(previous?.ports, pgUp);
  if (await initPostgres(binDir, layout.pgDir, user)) progress(`initialised PostgreSQL in ${layout.pgDir}${user ? ` (owned by ${user.name})` : ''}`);
  if (!pgUp) {
    // A postmaster.pid left by a crash: pg_ctl start refuses unless the process is really gone.
    await startPostgres(binDir, layout.pgDir, ports.postgres, user);
    progress(`PostgreSQL serving on 127.0.0.1:${ports.postgres}`);
  }
  await applySchemas(layout, ports.postgres);
  writeServerConfig(layout, ports);
  const state: ClusterState = { serverVersion: TEMPORAL_SERVER_VERSION, namespace, ports };
  writeState(layout, state);
  const serverPid = startServerProcess(layout);
  writeState(layout, { ...state, serverPid });
  progress(`Temporal server ${TEMPORAL_SERVER_VERSION} starting (pid ${serverPid}, log ${layout.serverLog})`);
  await waitForFrontend(layout, frontendAddress(ports), serverPid, 90_000);
  await prepareNamespace(frontendAddress(ports), namespace);
  return running(true, { ...state, serverPid });
}

/** Stops the server and PostgreSQL; the data stays. */
export async function clusterStop(options: ClusterOptions = {}): Promise<boolean> {
  const layout = clusterLayout(options);
  const state = readState(layout);
  const wasRunning = isServerProcess(layout, state?.serverPid) || postgresRunning(layout.pgDir);
  await stopServerProcess(layout, state?.serverPid);
  if (postgresRunning(layout.pgDir)) await stopPostgres(POSTGRES_BIN_DIR, layout.pgDir, postgresUser());
  if (state) writeState(layout, { ...state, serverPid: undefined });
  return wasRunning;
}

/** Stops the cluster and deletes its data (the built binaries stay cached). */
export async function clusterReset(options: ClusterOptions = {}): Promise<void> {
  await clusterStop(options);
  rmSync(clusterLayout(options).dataDir, { recursive: true, force: true });
}


