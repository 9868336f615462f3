/**
 * The Temporal server as a detached background process (it outlives `handoff-bridge cluster`, which
 * only starts it), logging to a file, and the checks that it is ours and serving.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { pingFrontend } from '../dev-server';
import { ClusterError, tailLines } from './run-command';
import type { ClusterLayout } from './layout';

export function startServerProcess(layout: ClusterLayout): number {
  const log = openSync(layout.serverLog, 'a');
  try {
    const child = spawn(layout.serverBin, ['--config-file', layout.serverConfig, '--allow-no-auth', 'start'], {
      cwd: layout.dataDir,
      detached: true,
      stdio: ['ignore', log, log],
    });
    child.unref();
    if (child.pid === undefined) throw new ClusterError(`could not start ${layout.serverBin}`);
    return child.pid;
  } finally {
    closeSync(log);
  }
}

/** Whether `pid` is alive and is this layout's server binary (a reused pid is not ours). */
export function isServerProcess(layout: ClusterLayout, pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const cmdline = `/proc/${pid}/cmdline`;
  return !existsSync(cmdline) || readFileSync(cmdline, 'utf8').split('\0')[0] === layout.serverBin;
}

export function serverLogTail(layout: ClusterLayout, lines = 20): string {
  if (!existsSync(layout.serverLog)) return '(no log)';
  // Each line is a JSON record with a long stack trace: its message is what a person needs.
  return tailLines(readFileSync(layout.serverLog, 'utf8'), lines)
    .split('\n')
    .map((line) => (line.length > 400 ? `${line.slice(0, 400)}…` : line))
    .join('\n');
}

/** Waits until the frontend answers; fails early (with the log's tail) when the process dies. */
export async function waitForFrontend(layout: ClusterLayout, address: string, pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    if (!isServerProcess(layout, pid)) throw new ClusterError(`the Temporal server exited before serving; ${layout.serverLog}:\n${serverLogTail(layout)}`);
    try {
      await pingFrontend(address);
      return;
    } catch (err) {
      lastError = (err as Error).message;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new ClusterError(`the Temporal server at ${address} did not answer within ${timeoutMs} ms (${lastError}); ${layout.serverLog}:\n${serverLogTail(layout)}`);
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
export async function stopServerProcess(layout: ClusterLayout, pid: number | undefined, graceMs = 15_000): Promise<void> {
  if (!pid || !isServerProcess(layout, pid)) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isServerProcess(layout, pid)) {
    if (Date.now() > deadline) {
      process.kill(pid, 'SIGKILL');
      await new Promise((r) => setTimeout(r, 200));
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
