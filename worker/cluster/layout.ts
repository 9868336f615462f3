/**
 * Where the local production-shape cluster (`handoff-bridge cluster`) keeps its tools and its data,
 * and the versions it runs. Tools live in .tools (shared by every checkout of the project, cached
 * between runs), data in .data/cluster; both folders are git-ignored.
 *
 * One Temporal server version for the whole project: this cluster and docker-compose.yml run the same
 * one (test/deploy-compose.test.ts keeps them equal).
 */
import { join, resolve } from 'node:path';

export const TEMPORAL_SERVER_VERSION = '1.32.2';
/** The server module needs Go >= 1.26.10; `go` fetches this toolchain itself through the module proxy. */
export const GO_TOOLCHAIN = 'go1.27.3';
export const POSTGRES_MAJOR = 15;
export const SERVER_MODULE = 'go.temporal.io/server';

const PROJECT_ROOT = resolve(import.meta.dirname, '..', '..');

export interface ClusterLayout {
  /** GOPATH, GOMODCACHE, GOCACHE and GOBIN live under here. */
  toolsDir: string;
  goPath: string;
  goModCache: string;
  goCache: string;
  goBin: string;
  serverBin: string;
  sqlToolBin: string;
  /** Written after both binaries built: the version they were built from. */
  binariesStamp: string;
  dataDir: string;
  /** PostgreSQL's data directory, owned by the unprivileged user that runs PostgreSQL. */
  pgDir: string;
  pgLog: string;
  serverConfig: string;
  dynamicConfig: string;
  serverLog: string;
  stateFile: string;
}

export function clusterLayout(options: { toolsDir?: string; dataDir?: string } = {}): ClusterLayout {
  const toolsDir = resolve(options.toolsDir ?? join(PROJECT_ROOT, '.tools'));
  const dataDir = resolve(options.dataDir ?? join(PROJECT_ROOT, '.data', 'cluster'));
  const goPath = join(toolsDir, 'go');
  const goBin = join(toolsDir, 'go-bin');
  const pgDir = join(dataDir, 'postgres');
  return {
    toolsDir,
    goPath,
    goModCache: join(goPath, 'pkg', 'mod'),
    goCache: join(toolsDir, 'go-cache'),
    goBin,
    serverBin: join(goBin, 'server'),
    sqlToolBin: join(goBin, 'sql'),
    binariesStamp: join(goBin, 'temporal-server.version'),
    dataDir,
    pgDir,
    pgLog: join(pgDir, 'postgres.log'),
    serverConfig: join(dataDir, 'temporal.yaml'),
    dynamicConfig: join(dataDir, 'dynamicconfig.yaml'),
    serverLog: join(dataDir, 'temporal.log'),
    stateFile: join(dataDir, 'state.json'),
  };
}

/** The server module's source in the Go module cache (its config/ and schema/ folders). */
export function serverModuleDir(layout: ClusterLayout): string {
  return join(layout.goModCache, 'go.temporal.io', `server@v${TEMPORAL_SERVER_VERSION}`);
}
