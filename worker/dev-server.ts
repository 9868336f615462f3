/**
 * Starts the official `temporal server start-dev` as a child process with the project's search
 * attributes registered, and waits until its frontend answers. Used by `npm start` and the test run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Connection } from '@temporalio/client';
import { searchAttributeCliPairs } from '../api/search-attributes';
import { PRIORITY_MATCHING_FLAGS } from './priority-matching';

export interface DevServerOptions {
  cliPath: string;
  ip?: string;
  /** Frontend gRPC port; a free one below the ephemeral range when unset (quietPort). */
  port?: number;
  /** Web UI port; no UI when unset. */
  uiPort?: number;
  /** SQLite file for persistence; in memory when unset. */
  dbFile?: string;
  namespace?: string;
  /** Where the UI fetches payload decoding (the bridge's codec endpoint). */
  uiCodecEndpoint?: string;
  readyTimeoutMs?: number;
  /** Dynamic config beyond PRIORITY_DYNAMIC_CONFIG (key → value, as `--dynamic-config-value`). */
  dynamicConfig?: Record<string, string>;
}

/** The dev server's flags for task priority and fairness, as `--dynamic-config-value` strings. */
export const PRIORITY_DYNAMIC_CONFIG: Record<string, string> = Object.fromEntries(Object.entries(PRIORITY_MATCHING_FLAGS).map(([key, on]) => [key, String(on)]));

export interface DevServer {
  address: string;
  uiUrl?: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function freePort(ip = '127.0.0.1'): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, ip, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** True when nothing listens on ip:port (we can bind it ourselves). */
export function portFree(port: number, ip = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolveFree) => {
    const probe = createServer();
    probe.once('error', () => resolveFree(false));
    probe.listen(port, ip, () => probe.close(() => resolveFree(true)));
  });
}

/**
 * A free port below the kernel's ephemeral range (32768 and up here), with `also` more free after it,
 * for a process that binds it seconds later (after loading and bundling): a port from `freePort` lies
 * in the ephemeral range, where this process's own outgoing connections can take it meanwhile ("port …
 * is already in use", seen in CI).
 */
export async function quietPort(also = 0, ip = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await Promise.all(Array.from({ length: also + 1 }, (_, i) => portFree(port + i, ip)));
    if (free.every(Boolean)) return port;
  }
  throw new Error(`no ${also + 1} free port(s) in a row found on ${ip} between 20000 and 32000`);
}

/** Resolves when a Temporal frontend answers at `address` (one attempt, 1 s to connect). */
export async function pingFrontend(address: string): Promise<void> {
  const connection = await Connection.connect({ address, connectTimeout: 1_000 });
  try {
    await connection.workflowService.getSystemInfo({});
  } finally {
    await connection.close();
  }
}

async function waitUntilServing(address: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`temporal dev server exited with code ${child.exitCode} before serving`);
    try {
      await pingFrontend(address);
      return;
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`temporal dev server at ${address} not serving after ${timeoutMs} ms: ${String(lastError)}`);
}

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const ip = options.ip ?? '127.0.0.1';
  const port = options.port ?? (await quietPort(0, ip));
  const args = ['server', 'start-dev', '--ip', ip, '--port', String(port), '--log-level', 'warn'];
  args.push(...(options.uiPort ? ['--ui-port', String(options.uiPort), '--ui-disable-news-fetch'] : ['--headless']));
  if (options.dbFile) args.push('--db-filename', options.dbFile);
  if (options.namespace) args.push('--namespace', options.namespace);
  if (options.uiCodecEndpoint) args.push('--ui-codec-endpoint', options.uiCodecEndpoint);
  for (const pair of searchAttributeCliPairs()) args.push('--search-attribute', pair);
  for (const [key, value] of Object.entries({ ...PRIORITY_DYNAMIC_CONFIG, ...options.dynamicConfig })) args.push('--dynamic-config-value', `${key}=${value}`);

  const child = spawn(options.cliPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  const address = `${ip}:${port}`;
  try {
    await waitUntilServing(address, child, options.readyTimeoutMs ?? 30_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${(err as Error).message}\n${stderr.trim()}`);
  }
  return {
    address,
    uiUrl: options.uiPort ? `http://${ip}:${options.uiPort}` : undefined,
    process: child,
    stop: () =>
      new Promise<void>((resolveStop) => {
        if (child.exitCode !== null) return resolveStop();
        const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(killer);
          resolveStop();
        });
        child.kill('SIGTERM');
      }),
  };
}
