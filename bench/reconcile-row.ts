/**
 * The reconciliation row: runs bench/reconcile.ts (its own benchmark, by the reconciliation work) in
 * a child process and reads its figures from what it prints.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./reconcile.ts', import.meta.url));

export type ReconcileRow =
  | { measured: true; leads: number; seconds: number; hubspotCalls: number; salesforceCalls: number }
  | { measured: false; reason: string };

export async function runReconcileBench(leads: number, timeoutMs: number): Promise<ReconcileRow> {
  if (!existsSync(SCRIPT)) return { measured: false, reason: 'bench/reconcile.ts is not in this tree' };
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, '--leads', String(leads)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  const done = /reconciled (\d+) contacts \/ (\d+) leads in ([\d.]+) s/.exec(out);
  const hubspot = /HubSpot API calls:\s+(\d+)/.exec(out);
  const salesforce = /Salesforce API calls:\s+(\d+)/.exec(out);
  if (!done || !hubspot || !salesforce) {
    const last = out.trim().split('\n').slice(-1)[0] ?? '';
    return { measured: false, reason: `bench/reconcile.ts ${code === null ? `stopped after ${timeoutMs / 1000} s` : `exited ${code}`}: ${last.slice(0, 160)}` };
  }
  return { measured: true, leads: Number(done[2]), seconds: Number(done[3]), hubspotCalls: Number(hubspot[1]), salesforceCalls: Number(salesforce[1]) };
}
