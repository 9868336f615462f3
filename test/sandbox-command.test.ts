import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Client } from '@hubspot/api-client';
import { Connection } from 'jsforce';
import { describe, expect, it, vi } from 'vitest';
import { sandbox } from '../worker/commands/sandbox';

/** Waits until the process has printed every `export NAME=value` line, and parses them. */
function exportsFrom(output: () => string): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const check = (): void => {
      const env = Object.fromEntries([...output().matchAll(/^export (\w+)=(\S+)$/gm)].map((m) => [m[1] ?? '', m[2] ?? '']));
      if (Object.keys(env).length === 8) resolve(env);
      else if (Date.now() - started > 30_000) reject(new Error(`no env printed:\n${output()}`));
      else setTimeout(check, 50);
    };
    check();
  });
}

describe('npx handoff-bridge sandbox', () => {
  it('prints the env that points the real clients at running sandboxes, and stops on SIGINT', async () => {
    const child = spawn(join('node_modules', '.bin', 'tsx'), ['worker/cli.ts', 'sandbox', '--hubspot-port', '0', '--salesforce-port', '0', '--contacts', '5', '--reps', '2', '--seed', '4'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      const env = await exportsFrom(() => output);
      const hubspot = new Client({ accessToken: env.HUBSPOT_ACCESS_TOKEN, basePath: env.HUBSPOT_BASE_URL, numberOfApiCallRetries: 0 });
      // The built-in contract's 3 reps and the 2 generated ones.
      expect((await hubspot.crm.owners.ownersApi.getPage()).results).toHaveLength(5);
      const salesforce = new Connection({ loginUrl: env.SALESFORCE_LOGIN_URL, version: '62.0', oauth2: { loginUrl: env.SALESFORCE_LOGIN_URL, clientId: env.SALESFORCE_CLIENT_ID, clientSecret: env.SALESFORCE_CLIENT_SECRET } });
      await salesforce.authorize({ grant_type: 'client_credentials' });
      expect((await salesforce.query('SELECT Id FROM User')).totalSize).toBe(6);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  });

  it('listens for Ctrl-C before it prints that Ctrl-C stops the sandboxes', async () => {
    // A Ctrl-C sent the moment that line appears must stop the sandboxes, not kill the process. Run in
    // this process: its handler must be there when the line is printed, and calling it stops them.
    const before = { SIGINT: new Set(process.listeners('SIGINT')), SIGTERM: new Set(process.listeners('SIGTERM')) };
    const added = (signal: 'SIGINT' | 'SIGTERM') => process.listeners(signal).filter((l) => !before[signal].has(l));
    let listeningWhenPrinted: boolean | undefined;
    const log = vi.spyOn(console, 'log').mockImplementation((line: unknown) => {
      if (String(line).includes('Ctrl-C stops the sandboxes')) listeningWhenPrinted = added('SIGINT').length > 0;
    });
    const running = sandbox({ hubspotPort: 0, salesforcePort: 0, seed: 1, reps: 1, contacts: 1, cycleMs: 1000, connector: false });
    try {
      await vi.waitFor(() => expect(listeningWhenPrinted).toBeDefined(), { timeout: 30_000 });
      expect(listeningWhenPrinted).toBe(true);
    } finally {
      // Stop it as Ctrl-C would (its own handler, not a signal to this test process), then clean up.
      await vi.waitFor(() => expect(added('SIGINT').length).toBeGreaterThan(0));
      const handlers = { SIGINT: added('SIGINT'), SIGTERM: added('SIGTERM') };
      for (const signal of ['SIGINT', 'SIGTERM'] as const) for (const l of handlers[signal]) process.removeListener(signal, l);
      for (const l of handlers.SIGINT) (l as () => void)();
      expect(await running).toBe(0);
      log.mockRestore();
    }
  });
});
