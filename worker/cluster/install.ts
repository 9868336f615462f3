/**
 * Installs what the local cluster runs on, into git-ignored folders, and only what is missing: the
 * Temporal server and its SQL schema tool, built from the Go module proxy with a pinned toolchain
 * (cached: seconds once built), and PostgreSQL from the Debian package when it is absent.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClusterPrerequisiteError, runCommand, tryCommand } from './run-command';
import { GO_TOOLCHAIN, POSTGRES_MAJOR, SERVER_MODULE, TEMPORAL_SERVER_VERSION, type ClusterLayout } from './layout';

export type Progress = (line: string) => void;

export const POSTGRES_BIN_DIR = `/usr/lib/postgresql/${POSTGRES_MAJOR}/bin`;

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** The environment for `go install`: everything under .tools, the toolchain pinned. */
export function goEnv(layout: ClusterLayout): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GOPATH: layout.goPath,
    GOMODCACHE: layout.goModCache,
    GOCACHE: layout.goCache,
    GOBIN: layout.goBin,
    GOTOOLCHAIN: GO_TOOLCHAIN,
    GOFLAGS: '-buildvcs=false',
  };
}

export function binariesBuilt(layout: ClusterLayout): boolean {
  return (
    existsSync(layout.serverBin) &&
    existsSync(layout.sqlToolBin) &&
    existsSync(layout.binariesStamp) &&
    readFileSync(layout.binariesStamp, 'utf8').trim() === TEMPORAL_SERVER_VERSION
  );
}

/** Builds `server` and `sql` (the schema tool) of the pinned server version into .tools/go-bin. */
export async function ensureTemporalBinaries(layout: ClusterLayout, progress: Progress): Promise<void> {
  if (binariesBuilt(layout)) return;
  const go = await tryCommand('go', ['version']).catch(() => undefined);
  if (!go || go.code !== 0) {
    throw new ClusterPrerequisiteError(
      `Go is not installed (\`go version\` failed): the Temporal server ${TEMPORAL_SERVER_VERSION} is built from the Go module proxy. Install Go >= 1.21 and run again.`,
    );
  }
  for (const dir of [layout.goPath, layout.goCache, layout.goBin]) mkdirSync(dir, { recursive: true });
  progress(`building Temporal server ${TEMPORAL_SERVER_VERSION} and its SQL tool with ${GO_TOOLCHAIN} into ${layout.goBin} (about 4 minutes the first time)`);
  await runCommand('building the Temporal server', 'go', [
    'install',
    `${SERVER_MODULE}/cmd/server@v${TEMPORAL_SERVER_VERSION}`,
    `${SERVER_MODULE}/cmd/tools/sql@v${TEMPORAL_SERVER_VERSION}`,
  ], { env: goEnv(layout) });
  writeFileSync(layout.binariesStamp, `${TEMPORAL_SERVER_VERSION}\n`);
}

/** PostgreSQL's server programs; installs the Debian package when they are absent (as root). */
export async function ensurePostgres(progress: Progress): Promise<string> {
  if (existsSync(join(POSTGRES_BIN_DIR, 'initdb'))) return POSTGRES_BIN_DIR;
  const pkg = `postgresql-${POSTGRES_MAJOR}`;
  if (!isRoot() || !existsSync('/usr/bin/apt-get')) {
    throw new ClusterPrerequisiteError(`PostgreSQL ${POSTGRES_MAJOR} is not installed (${POSTGRES_BIN_DIR} is absent) and cannot be installed here: install the Debian package ${pkg} and run again.`);
  }
  progress(`installing ${pkg} (Debian package)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const first = await tryCommand('apt-get', ['install', '-y', '--no-install-recommends', pkg], { env });
  if (first.code !== 0) {
    await tryCommand('apt-get', ['update'], { env });
    const second = await tryCommand('apt-get', ['install', '-y', '--no-install-recommends', pkg], { env });
    if (second.code !== 0) throw new ClusterPrerequisiteError(`PostgreSQL ${POSTGRES_MAJOR} could not be installed (apt-get install ${pkg}):\n${second.output.slice(-2_000)}`);
  }
  return POSTGRES_BIN_DIR;
}
