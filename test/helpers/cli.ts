/** The real `handoff-bridge` CLI as an operator runs it: a child process against the run's dev server. */
import { spawn } from 'node:child_process';
import { inject } from 'vitest';

const PROJECT_ROOT = new URL('../..', import.meta.url).pathname;

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function handoffBridge(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(`${PROJECT_ROOT}node_modules/.bin/tsx`, ['bin/handoff-bridge.mjs', ...args], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, TEMPORAL_ADDRESS: inject('temporalAddress'), TEMPORAL_NAMESPACE: 'default', CODEC_KEYS: '', HUBSPOT_PORTAL_ID: '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
