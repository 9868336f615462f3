/** Runs a setup command to completion; a failure names the command and ends with the tail of its output. */
import { spawn } from 'node:child_process';

export class ClusterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClusterError';
  }
}

/** A prerequisite (Go, PostgreSQL) that is missing and cannot be installed on this machine. */
export class ClusterPrerequisiteError extends ClusterError {
  constructor(message: string) {
    super(message);
    this.name = 'ClusterPrerequisiteError';
  }
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Run as this user (only when we are root). */
  user?: { uid: number; gid: number };
}

export interface RunResult {
  code: number;
  output: string;
}

/** Runs `command`, resolving with its exit code and combined output (never rejects on a non-zero exit). */
export function tryCommand(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: options.env ?? process.env,
      cwd: options.cwd,
      uid: options.user?.uid,
      gid: options.user?.gid,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-20_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

/** Runs `command` and throws a ClusterError (with what it printed last) when it fails. */
export async function runCommand(what: string, command: string, args: string[], options: RunOptions = {}): Promise<string> {
  let result: RunResult;
  try {
    result = await tryCommand(command, args, options);
  } catch (err) {
    throw new ClusterError(`${what}: could not run ${command}: ${(err as Error).message}`);
  }
  if (result.code !== 0) {
    throw new ClusterError(`${what} failed (${command} ${args.join(' ')}, exit ${result.code}):\n${tailLines(result.output, 15)}`);
  }
  return result.output;
}

export function tailLines(text: string, count: number): string {
  return text.trimEnd().split('\n').slice(-count).join('\n');
}
