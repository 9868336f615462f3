/**
 * The production workflow bundle, built ahead of time (`npm run build:bundle`, in the Docker image)
 * so a worker starts without running webpack, and the code it runs is the code that was built.
 *
 * Staleness is decided by content, not by file times: next to the bundle sits a manifest with a
 * digest of everything the bundle is made from (workflows/, api/ and mappings/ sources, which workflows
 * import, the bundle options, and package-lock.json, which pins the SDK and libraries bundled in).
 * mtimes lie: a git checkout or a copy sets them to "now" on old code, and a dependency upgrade
 * touches no source.
 * A bundle whose digest does not match is never used: the worker bundles from source and says so.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { Logger } from 'pino';
import { z } from 'zod';
import { temporalLoggerFor } from './logger';
import { workflowBundleOptions } from './workflow-bundle-options';

const PROJECT_ROOT = resolve(import.meta.dirname, '..');
export const DEFAULT_DIST_DIR = join(PROJECT_ROOT, 'dist');
export const BUNDLE_FILE = 'workflow-bundle.js';
export const MANIFEST_FILE = 'workflow-bundle.json';

/** What the bundle is made from, relative to the project root: sources, how they are bundled, dependencies. */
const SOURCE_DIRS = ['workflows', 'api', 'mappings'];
const BUNDLE_OPTIONS_FILE = 'worker/workflow-bundle-options.ts';
const LOCKFILE = 'package-lock.json';

const manifestSchema = z.object({ sourceDigest: z.string().regex(/^[0-9a-f]{64}$/), builtAt: z.string() });
export type BundleManifest = z.infer<typeof manifestSchema>;

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** sha256 over the sorted relative paths and contents of the bundle's inputs under `root`. */
export function workflowSourceDigest(root: string = PROJECT_ROOT): string {
  const files = [...SOURCE_DIRS.flatMap((dir) => sourceFiles(join(root, dir))), join(root, BUNDLE_OPTIONS_FILE), join(root, LOCKFILE)]
    .filter((file) => existsSync(file))
    .map((file) => ({ file, name: relative(root, file).split(sep).join('/') }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const hash = createHash('sha256');
  for (const { file, name } of files) hash.update(name).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex');
}

export interface BuildBundleOptions {
  distDir?: string;
  logger?: Logger;
}

/** Bundles workflows/index.ts and writes the bundle with its manifest into `distDir`. */
export async function buildWorkflowBundle(options: BuildBundleOptions = {}): Promise<{ codePath: string; manifest: BundleManifest }> {
  const distDir = options.distDir ?? DEFAULT_DIST_DIR;
  // Digest first: an edit made while webpack runs then makes the bundle stale, never wrongly fresh.
  const manifest: BundleManifest = { sourceDigest: workflowSourceDigest(), builtAt: new Date().toISOString() };
  const { code } = await bundleWorkflowCode(workflowBundleOptions(options.logger ? { logger: temporalLoggerFor(options.logger) } : {}));
  mkdirSync(distDir, { recursive: true });
  const codePath = join(distDir, BUNDLE_FILE);
  writeFileSync(codePath, code);
  writeFileSync(join(distDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return { codePath, manifest };
}

export interface PrebuiltBundleOptions {
  distDir?: string;
  /** Where the sources the bundle must match live; the project root by default. */
  sourceRoot?: string;
  /** Told when a bundle exists but cannot be used (stale, or without a readable manifest). */
  logger?: Pick<Logger, 'warn'>;
}

/**
 * The prebuilt bundle for `createBridgeWorker({ workflowBundle })`, or undefined when there is none
 * or it does not match the sources (the worker then bundles from source, as in development).
 */
export function prebuiltWorkflowBundle(options: PrebuiltBundleOptions = {}): { codePath: string } | undefined {
  const distDir = options.distDir ?? DEFAULT_DIST_DIR;
  const codePath = join(distDir, BUNDLE_FILE);
  if (!existsSync(codePath)) return undefined;
  const unusable = (reason: string) => {
    options.logger?.warn({ bundle: codePath, reason }, 'prebuilt workflow bundle not used: bundling workflows from source; run `npm run build:bundle`');
    return undefined;
  };
  let manifest: BundleManifest;
  try {
    manifest = manifestSchema.parse(JSON.parse(readFileSync(join(distDir, MANIFEST_FILE), 'utf8')));
  } catch {
    return unusable(`${MANIFEST_FILE} is missing or unreadable`);
  }
  if (manifest.sourceDigest !== workflowSourceDigest(options.sourceRoot ?? PROJECT_ROOT)) {
    return unusable(`stale: the workflow sources or dependencies changed since it was built at ${manifest.builtAt}`);
  }
  return { codePath };
}
