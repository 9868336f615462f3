/**
 * The cluster's PostgreSQL: a data directory of its own, TCP on loopback only, no Unix socket, trust
 * authentication for the `temporal` role (loopback, local development). PostgreSQL refuses to run as
 * root, so as root it runs as the unprivileged `postgres` user (`nobody` when that user does not
 * exist), which owns the data directory.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isRoot } from './install';
import { ClusterError, runCommand, tailLines } from './run-command';

export const DB_USER = 'temporal';

export interface PostgresUser {
  name: string;
  uid: number;
  gid: number;
}

/** Who runs PostgreSQL: ourselves, unless we are root. */
export function postgresUser(): PostgresUser | undefined {
  if (!isRoot()) return undefined;
  for (const name of ['postgres', 'nobody']) {
    try {
      const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
      return { name, uid, gid };
    } catch {
      // no such user: try the next
    }
  }
  throw new ClusterError('running as root, but neither the `postgres` nor the `nobody` user exists to run PostgreSQL (it refuses to run as root)');
}

function asUser(user: PostgresUser | undefined) {
  return user ? { user: { uid: user.uid, gid: user.gid } } : {};
}

/** Creates the data directory (initdb) unless it already holds a database cluster. */
export async function initPostgres(binDir: string, pgDir: string, user: PostgresUser | undefined): Promise<boolean> {
  if (existsSync(join(pgDir, 'PG_VERSION'))) return false;
  mkdirSync(pgDir, { recursive: true });
  if (readdirSync(pgDir).length) throw new ClusterError(`${pgDir} is not empty but holds no PostgreSQL data directory: remove it (handoff-bridge cluster --reset)`);
  if (user) chownSync(pgDir, user.uid, user.gid);
  chmodSync(pgDir, 0o700);
  await runCommand('initialising PostgreSQL', join(binDir, 'initdb'), ['-D', pgDir, '-U', DB_USER, '--auth=trust', '-E', 'UTF8', '--locale=C'], {
    cwd: pgDir,
    ...asUser(user),
  });
  return true;
}

export async function startPostgres(binDir: string, pgDir: string, port: number, user: PostgresUser | undefined): Promise<void> {
  const options = [`-p ${port}`, '-c listen_addresses=127.0.0.1', "-c unix_socket_directories=''", '-c max_connections=200'].join(' ');
  try {
    await runCommand('starting PostgreSQL', join(binDir, 'pg_ctl'), ['-D', pgDir, '-l', join(pgDir, 'postgres.log'), '-o', options, '-w', '-t', '60', 'start'], {
      cwd: pgDir,
      ...asUser(user),
    });
  } catch (err) {
    const log = join(pgDir, 'postgres.log');
    const tail = existsSync(log) ? `\n${log}:\n${tailLines(readFileSync(log, 'utf8'), 10)}` : '';
    throw new ClusterError(`${(err as Error).message}${tail}`);
  }
}

export function postgresRunning(pgDir: string): boolean {
  return existsSync(join(pgDir, 'postmaster.pid'));
}

export async function stopPostgres(binDir: string, pgDir: string, user: PostgresUser | undefined): Promise<void> {
  if (!postgresRunning(pgDir)) return;
  await runCommand('stopping PostgreSQL', join(binDir, 'pg_ctl'), ['-D', pgDir, '-m', 'fast', '-w', '-t', '60', 'stop'], { cwd: pgDir, ...asUser(user) });
}
