/**
 * How the workflow code is bundled, defined once for every site that bundles it: the prebuilt bundle
 * (workflow-bundle.ts), a worker that bundles from source (create-worker.ts), the test setup and the
 * benchmarks. This file is an input of the prebuilt bundle's digest: changing it makes a bundle stale.
 *
 * Every module of the bundle is preloaded: evaluated once per workflow thread, before any workflow
 * exists, deep-frozen and shared by every workflow on it (the SDK's reusable V8 context evaluates a
 * module not preloaded once more for each workflow it creates). The preload names the workflows'
 * entry, so the workflows themselves, api/, the mappings they call and luxon are all shared. Sharing
 * the workflow modules matters most in a burst: every cache miss creates the workflow again, and with
 * modules of its own each copy ran its functions cold (no inline caches) and held its own copies; a
 * replay of a handoff to its parked state costs ≈ 26 % less CPU shared (docs/benchmarks.md, "Cache
 * misses in a burst").
 *
 * So no module that workflows import may keep per-workflow state at module level: their module scope
 * runs once, and whatever it keeps is seen by every workflow on the thread. They keep constants,
 * definitions (signals, queries, updates, search attribute keys), activity proxies (which resolve the
 * current workflow on each call) and pure functions; state lives in each workflow's own objects
 * (HandoffRun). eslint.config.js refuses a module-level `let` or `var` in workflows/, api/ and
 * mappings/. luxon's formatter and zone caches are keyed by zone and locale, the same for every
 * workflow (`DateTime.now()` still reads each workflow's own clock). Nothing in mappings/ or
 * workflows/ may change luxon's global Settings (eslint.config.js refuses the import), since that would
 * leak between workflows. Workflow code also avoids `DateTime.local()` and `DateTime.utc()` with date
 * parts: luxon guesses their offset from the time of its first such call, shared, so an ambiguous wall
 * time (a DST fall-back hour) could resolve differently on replay; the mappings build instants with
 * fromJSDate, fromISO and set, which take the offset from the instant itself or from the workflow's
 * own clock.
 */
import { fileURLToPath } from 'node:url';
import type { BundleOptions, Logger, WorkerOptions } from '@temporalio/worker';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

/**
 * Interceptor modules bundled into every workflow: each reports when it waits on activities, for the
 * worker's admission of new workflows (workflows/load-report.ts, worker/workflow-admission.ts). Every
 * worker that runs this bundle registers its sink, replay workers included.
 */
export const WORKFLOW_INTERCEPTOR_MODULES: readonly string[] = [fileURLToPath(new URL('../workflows/load-report.ts', import.meta.url))];

type BundlerOptions = NonNullable<WorkerOptions['bundlerOptions']>;
const MAPPINGS_INDEX = /[\\/]mappings[\\/][^\\/]+[\\/]index\.ts$/;

/**
 * A workflow imports a mappings feature folder through its index (mappings/contract, mappings/crm, ...).
 * The indexes only re-export, so they are marked free of side effects: webpack then links each import
 * to the module that defines it and leaves out the folder's other modules. Without the mark an index
 * would bring zod (the contract schema) and the document renderers into every workflow. Only the
 * indexes: the preload hook's bare `require` of each shared module must keep that module.
 *
 * The inline source map keeps its mappings (stack traces still name the TypeScript file, line and
 * column) but not the sources' text: 1 MB of the bundle's 3 MB (luxon alone 260 KB), which every
 * workflow thread and every Worker held again as strings and parsed JSON, ≈ 10 MB of RSS per workflow
 * thread at idle. The SDK reads the text only for the enhanced stack-trace query with
 * `showStackTraceSources`, which the bridge leaves off.
 */
const bundleConfig: NonNullable<BundlerOptions['webpackConfigHook']> = (config) => ({
  ...config,
  devtool: 'inline-nosources-source-map',
  module: { ...config.module, rules: [...(config.module?.rules ?? []), { test: MAPPINGS_INDEX, sideEffects: false }] },
});

/** For a worker given `workflowsPath` (it bundles itself): the same options as every other site. */
export function workflowBundlerOptions(workflowsPath: string = WORKFLOWS_PATH): BundlerOptions {
  return { preloadModules: [workflowsPath, ...WORKFLOW_INTERCEPTOR_MODULES], webpackConfigHook: bundleConfig };
}

/** Options for `bundleWorkflowCode`; `workflowsPath` only for a bundle of some workflows (tests). */
export function workflowBundleOptions(options: { logger?: Logger; workflowsPath?: string } = {}): BundleOptions {
  const workflowsPath = options.workflowsPath ?? WORKFLOWS_PATH;
  return {
    workflowsPath,
    workflowInterceptorModules: [...WORKFLOW_INTERCEPTOR_MODULES],
    ...workflowBundlerOptions(workflowsPath),
    ...(options.logger ? { logger: options.logger } : {}),
  };
}
