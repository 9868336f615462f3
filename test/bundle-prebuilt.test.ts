/**
 * The ahead-of-time workflow bundle: built like `npm run build:bundle` does, run by a real worker on
 * the dev server, and refused once the sources it was built from change.
 */
import { cpSync, mkdtempSync, appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCanaryActivities } from '../activities/canary';
import { canary } from '../workflows/canary';
import { createBridgeWorker } from '../worker/create-worker';
import { createLogger } from '../worker/logger';
import { BUNDLE_FILE, buildWorkflowBundle, MANIFEST_FILE, prebuiltWorkflowBundle } from '../worker/workflow-bundle';
import { devServerEnv, uniqueTaskQueue } from './helpers/temporal';

const projectRoot = resolve(import.meta.dirname, '..');
let scratch: string;
let distDir: string;
let env: TestWorkflowEnvironment;

/** Copies everything the bundle's digest covers into `dir`, as a checkout of the same sources would hold. */
function copyBundleInputs(dir: string): void {
  for (const entry of ['workflows', 'api', 'mappings', 'worker/workflow-bundle-options.ts', 'package-lock.json']) {
    cpSync(join(projectRoot, entry), join(dir, entry), { recursive: true });
  }
}

const REQUIRE = /__webpack_require__\((?:\s*\/\*.*?\*\/)*\s*"([^"]+)"\)/g;

/**
 * The bundle's webpack modules by id, and the ids the SDK's preload hook evaluates (the preloaded
 * modules and everything they import): those are evaluated once per workflow thread and shared.
 */
function bundleModules(code: string): { ids: string[]; shared: Set<string> } {
  const modules = new Map(code.split('\n/***/ "').slice(1).map((block) => [block.slice(0, block.indexOf('"')), block] as const));
  const preload = /exports\.preloadModules = function preloadModules\(\) \{([\s\S]*?)\n\}/.exec(code)?.[1] ?? '';
  const shared = new Set<string>();
  const visit = (text: string): void => {
    for (const [, id] of text.matchAll(REQUIRE)) {
      if (id === undefined || shared.has(id)) continue;
      shared.add(id);
      visit(modules.get(id) ?? '');
    }
  };
  visit(preload);
  return { ids: [...modules.keys()], shared };
}

function collectingLogger(): { logger: ReturnType<typeof createLogger>; lines: () => Array<Record<string, unknown>> } {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const logger = createLogger({ destination });
  return {
    logger,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'bundle-test-'));
  distDir = join(scratch, 'dist');
  await buildWorkflowBundle({ distDir });
  env = await devServerEnv();
}, 120_000);

afterAll(async () => {
  await env.teardown();
  rmSync(scratch, { recursive: true, force: true });
});

describe('prebuilt workflow bundle', () => {
  it('runs the canary on a worker that loads it instead of bundling', async () => {
    const bundle = prebuiltWorkflowBundle({ distDir });
    expect(bundle).toEqual({ codePath: join(distDir, BUNDLE_FILE) });
    const taskQueue = uniqueTaskQueue('prebuilt-bundle');
    const worker = await createBridgeWorker({
      connection: env.nativeConnection,
      taskQueue,
      activities: createCanaryActivities(),
      workflowBundle: bundle,
    });
    const result = await worker.runUntil(
      env.client.workflow.execute(canary, { taskQueue, workflowId: `canary-prebuilt-${taskQueue}`, args: [{ wait: '10 ms' }] }),
    );
    expect(result.worker).toEqual({ pid: process.pid, taskQueue });
  });

  it('is not used, and says why, once a workflow source changes after the build', () => {
    const sources = join(scratch, 'sources');
    copyBundleInputs(sources);
    expect(prebuiltWorkflowBundle({ distDir, sourceRoot: sources })).toBeDefined();

    appendFileSync(join(sources, 'workflows', 'canary.ts'), '\n// an edit after the build\n');
    const { logger, lines } = collectingLogger();
    expect(prebuiltWorkflowBundle({ distDir, sourceRoot: sources, logger })).toBeUndefined();
    logger.flush();
    const warning = lines().find((line) => line.level === 'warn');
    expect(warning?.msg).toContain('npm run build:bundle');
    expect(warning?.reason).toMatch(/^stale: /);
  });

  it('is not used when a dependency changed (the lockfile), though no source did', () => {
    const sources = join(scratch, 'lockfile-changed');
    copyBundleInputs(sources);
    appendFileSync(join(sources, 'package-lock.json'), '\n');
    expect(prebuiltWorkflowBundle({ distDir, sourceRoot: sources })).toBeUndefined();
  });

  it('is not used when the bundle options changed (what is preloaded), though no workflow source did', () => {
    const sources = join(scratch, 'options-changed');
    copyBundleInputs(sources);
    expect(prebuiltWorkflowBundle({ distDir, sourceRoot: sources })).toBeDefined();
    appendFileSync(join(sources, 'worker', 'workflow-bundle-options.ts'), '\n');
    expect(prebuiltWorkflowBundle({ distDir, sourceRoot: sources })).toBeUndefined();
  });

  it('is not used without its manifest, and absent when never built', () => {
    const noManifest = join(scratch, 'no-manifest');
    cpSync(distDir, noManifest, { recursive: true });
    writeFileSync(join(noManifest, MANIFEST_FILE), '{"sourceDigest":"not a digest"}');
    expect(prebuiltWorkflowBundle({ distDir: noManifest })).toBeUndefined();
    expect(prebuiltWorkflowBundle({ distDir: join(scratch, 'never-built') })).toBeUndefined();
  });
});

describe('what the workflow bundle carries into each workflow', () => {
  it('holds no zod: validation stays outside the workflow sandbox', () => {
    const { ids } = bundleModules(readFileSync(join(distDir, BUNDLE_FILE), 'utf8'));
    expect(ids.some((id) => id.startsWith('./workflows/'))).toBe(true);
    expect(ids.filter((id) => id.includes('/node_modules/zod/'))).toEqual([]);
  });

  it('shares every workflow, api and mappings module and luxon between workflows (preloaded)', () => {
    const { ids, shared } = bundleModules(readFileSync(join(distDir, BUNDLE_FILE), 'utf8'));
    const ours = ids.filter((id) => /^\.\/(workflows|api|mappings)\//.test(id) || id.includes('/node_modules/luxon/'));
    for (const layer of ['./workflows/handoff/', './api/', './mappings/', '/node_modules/luxon/']) expect(ours.some((id) => id.includes(layer))).toBe(true);
    expect(ours.filter((id) => !shared.has(id))).toEqual([]);
  });
});
