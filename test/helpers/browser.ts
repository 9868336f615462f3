/**
 * Headless Chromium for page tests (the dashboard, the Temporal UI): Debian's `chromium` package,
 * installed by the project when missing (root + apt-get only), driven through playwright-core with a
 * fresh profile per page and every background network feature off, since these machines have no
 * internet and a page test must not wait on one.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';
const INSTALL_LOCK = join(tmpdir(), 'handoff-bridge-chromium-install.lock');
const LOCK_WAIT_MS = 15 * 60_000;

const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function hasAptGet(): boolean {
  return ['/usr/bin/apt-get', '/bin/apt-get'].some((path) => existsSync(path));
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Holds an exclusive lock file while `fn` runs, so parallel test files install only once. */
function withInstallLock(fn: () => void): void {
  const started = Date.now();
  let fd: number | undefined;
  while (fd === undefined) {
    try {
      fd = openSync(INSTALL_LOCK, 'wx');
    } catch {
      if (existsSync(CHROMIUM_PATH)) return;
      if (Date.now() - started > LOCK_WAIT_MS) {
        throw new Error(`chromium: another process has held ${INSTALL_LOCK} for 15 minutes; remove it if no install is running`);
      }
      sleepSync(1000);
    }
  }
  try {
    if (!existsSync(CHROMIUM_PATH)) fn();
  } finally {
    closeSync(fd);
    rmSync(INSTALL_LOCK, { force: true });
  }
}

/** The path of Debian's Chromium, installing the package first when it is missing and we may. */
export function ensureChromium(): string {
  if (existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  if (!isRoot() || !hasAptGet()) {
    throw new Error(
      `chromium: ${CHROMIUM_PATH} is missing and this process cannot install it (needs root and apt-get). ` +
        'Install it once with: sudo apt-get update && sudo apt-get install -y chromium',
    );
  }
  withInstallLock(() => {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update'], { stdio: 'ignore', env });
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { stdio: 'ignore', env });
  });
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`chromium: apt-get finished but ${CHROMIUM_PATH} is still missing`);
  return CHROMIUM_PATH;
}

export interface PageSession {
  page: Page;
  /** Console errors and uncaught page errors seen so far. */
  errors: string[];
}

/**
 * Opens `url` in a fresh headless Chromium (a new profile directory) and runs `fn`; the browser is
 * closed and the profile removed whatever `fn` does.
 */
export async function withPage<T>(url: string, fn: (session: PageSession) => Promise<T>): Promise<T> {
  const profile = mkdtempSync(join(tmpdir(), 'handoff-bridge-chromium-'));
  // Playwright takes the profile directory as an argument of its own rather than --user-data-dir.
  const context = await chromium.launchPersistentContext(profile, { executablePath: ensureChromium(), headless: true, args: CHROMIUM_FLAGS });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(url, { waitUntil: 'load' });
    return await fn({ page, errors });
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
