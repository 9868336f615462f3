/**
 * How the workflow code is bundled, defined once for every site that bundles it: the prebuilt bundle
 * (workflow-bundle.ts), a worker that bundles from source (create-worker.ts), the test setup and the
 * benchmarks. This file is an input of the prebuilt bundle's digest: changing it makes a bundle stale.
 *
 * Memory: with the SDK's reusable V8 context, every module a workflow imports is evaluated again for
 * each cached workflow, except modules preloaded here, which are evaluated once per workflow thread,
 * deep-frozen and shared by every workflow on it. The pure mappings the workflows call (and luxon,
 * which they import) are preloaded. Only modules without per-workflow state belong in this list: their
 * module scope runs before any workflow exists, and whatever they keep at module level is shared.
 * That holds for these: constants, pure functions, luxon's formatter and zone caches (keyed by zone
 * and locale, the same for every workflow; `DateTime.now()` still reads each workflow's own clock).
 * Nothing in mappings/ or workflows/ may change luxon's global Settings (eslint.config.js refuses the
 * import), since that would now leak between workflows. Workflow code also avoids `DateTime.local()`
 * and `DateTime.utc()` with date parts: luxon guesses their offset from the time of its first such
 * call, now shared, so an ambiguous wall time (a DST fall-back hour) could resolve differently on
 * replay; the mappings build instants with fromJSDate, fromISO and set, which take the offset from
 * the instant itself or from the workflow's own clock.
 *
 * luxon is preloaded through the mappings, not by name: luxon declares `"sideEffects": false`, so
 * webpack drops the preload hook's bare `require('luxon')` and nothing would be shared.
 */
import { fileURLToPath } from 'node:url';
import type { BundleOptions, Logger, WorkerOptions } from '@temporalio/worker';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

/** The mappings/ modules workflows import at run time; what they import is preloaded with them. */
const SHARED_MAPPINGS = ['calendar/calendar', 'calendar/calendar-days', 'contract/coverage', 'contract/crossing-lags', 'crm/budget-epochs', 'crm/crm-error-types', 'crm/crm-fields', 'metrics/episodes', 'contract/predicates', 'routing/capacity', 'routing/history-budget', 'contract/findings', 'routing/pool', 'routing/pool-state', 'routing/rotation-policy', 'routing/routing', 'routing/routing-wait', 'crm/salesforce-lengths', 'contract/state-machine', 'contract/sync-rules'];

export const PRELOADED_WORKFLOW_MODULES: readonly string[] = SHARED_MAPPINGS.map((name) =>
  fileURLToPath(new URL(`../mappings/${name}.ts`, import.meta.url)),
);

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
export const WORKFLOW_BUNDLER_OPTIONS: BundlerOptions = { preloadModules: [...PRELOADED_WORKFLOW_MODULES], webpackConfigHook: bundleConfig };

/** Options for `bundleWorkflowCode`; `workflowsPath` only for a bundle of some workflows (tests). */
export function workflowBundleOptions(options: { logger?: Logger; workflowsPath?: string } = {}): BundleOptions {
  return {
    workflowsPath: options.workflowsPath ?? WORKFLOWS_PATH,
    ...WORKFLOW_BUNDLER_OPTIONS,
    ...(options.logger ? { logger: options.logger } : {}),
  };
}
