/**
 * Runs the CLI in this process, as `handoff-bridge <args>` would, and returns its exit status with
 * everything it printed: commander's help and errors, and the commands' console output.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { inject, vi } from 'vitest';
import { buildProgram } from '../../worker/cli/program';
import { runCli } from '../../worker/cli/run';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr together, in the order printed. */
  out: string;
}

export async function cli(...args: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  let out = '';
  const toOut = (text: string): void => {
    stdout += text;
    out += text;
  };
  const toErr = (text: string): void => {
    stderr += text;
    out += text;
  };
  const line = (write: (text: string) => void) => (...parts: unknown[]) => void write(`${parts.map(String).join(' ')}\n`);
  vi.spyOn(console, 'log').mockImplementation(line(toOut));
  vi.spyOn(console, 'error').mockImplementation(line(toErr));
  try {
    const output = { writeOut: toOut, writeErr: toErr };
    const code = await runCli(args, { program: buildProgram(output), output });
    return { code, stdout, stderr, out: out.trimEnd() };
  } finally {
    vi.mocked(console.log).mockRestore();
    vi.mocked(console.error).mockRestore();
  }
}

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `handoff-bridge <args>` as a real process (bin/handoff-bridge.mjs; tsx starts in about a second). */
export function spawnCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<ProcessResult> {
  const root = new URL('../..', import.meta.url).pathname;
  return new Promise((resolve, reject) => {
    // A command that should end but hangs is killed (code null), so the test fails with its output.
    const child = spawn(process.execPath, [join(root, 'bin', 'handoff-bridge.mjs'), ...args], {
      cwd: options.cwd ?? root,
      env: { ...process.env, ...options.env },
      // Loading the CLI under tsx takes about a second alone, past 20 s beside two other test files on 2 slow cores.
      timeout: options.timeoutMs ?? 60_000,
      killSignal: 'SIGKILL',
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** `handoff-bridge <args>` as an operator runs it against this run's dev server (no codec, no portal default). */
export function handoffBridge(args: string[], env: Record<string, string> = {}, timeoutMs = 120_000): Promise<ProcessResult> {
  const devServer = { TEMPORAL_ADDRESS: inject('temporalAddress'), TEMPORAL_NAMESPACE: 'default', CODEC_KEYS: '', HUBSPOT_PORTAL_ID: '' };
  return spawnCli(args, { env: { ...devServer, ...env }, timeoutMs });
}
