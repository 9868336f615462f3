// Lint that protects Temporal's determinism and the layering of the design (workflows → api/, mappings
// and activity types only; activities → api/ and mappings, never the workflow runtime; mappings stay
// pure). `layering/no-reaching` follows runtime imports through every module in between
// (lint/layering-plugin.js), so a layer cannot reach what it must not run by way of another module.
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';
import layering from './lint/layering-plugin.js';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
// The workflow bundle preloads luxon once per workflow thread, shared by every workflow on it
// (worker/workflow-bundle-options.ts): a change to its global Settings would leak between workflows.
const nodeBuiltinPatterns = ['node:*', ...builtinModules.filter((m) => !m.startsWith('_'))];
/** @param {...[string[], string]} rules */
const reaching = (...rules) => ['error', { forbid: rules.flatMap(([patterns, message]) => patterns.map((pattern) => ({ pattern, message }))) }];
// Every module workflows import is evaluated once per workflow thread and shared by all its workflows
// (worker/workflow-bundle-options.ts): none may keep state at module level, where it would be shared.
const moduleState = ['let', 'var'].flatMap((kind) =>
  ['Program >', 'Program > ExportNamedDeclaration >'].map((path) => ({
    selector: `${path} VariableDeclaration[kind='${kind}']`,
    message: `A module-level \`${kind}\` here is shared by every workflow on a thread (the modules are preloaded): keep state in the workflow's own objects.`,
  })),
);
const luxonSettings = { name: 'luxon', importNames: ['Settings'], message: "luxon is shared by every workflow on a thread: never change its global Settings; pass zone and locale per call." };

export default tseslint.config(
  { ignores: ['node_modules/', '.tools/', '.data/', 'dist/', 'coverage/'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    plugins: { layering },
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js', 'lint/*.js', 'bin/*.mjs', '*/__lint_probe__.ts', '*/*/__lint_probe__.ts'], defaultProject: 'tsconfig.json' }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      'layering/feature-surface': ['error', { layers: ['activities', 'mappings', 'workflows'] }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/ban-ts-comment': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [...nodeBuiltins.map((name) => ({ name, message: 'Workflows are deterministic: no Node built-ins. Do I/O in an activity.' })), luxonSettings],
          patterns: [
            { group: ['jsforce', '@hubspot/*', 'pino', 'yaml'], message: 'Workflows do no I/O: reach CRMs and logs through activities.' },
            { group: ['@temporalio/activity', '@temporalio/worker', '@temporalio/client', '@temporalio/testing'], message: 'Workflows import only @temporalio/workflow and @temporalio/common.' },
            { group: ['**/activities', '**/activities/**'], allowTypeImports: true, message: 'Workflows import activities as types only (proxyActivities).' },
            { group: ['**/worker/**', '**/sandbox/**', '**/mappings/load', '**/mappings/load/**'], message: 'Workflows import only api/, mappings/ (pure) and activity types.' },
          ],
        },
      ],
      'layering/no-reaching': reaching(
        [nodeBuiltinPatterns, 'Workflows are deterministic: no Node built-in, even through another module. Do I/O in an activity.'],
        [['jsforce', '@hubspot/*', 'pino', 'yaml', 'mappings/load/'], 'Workflows do no I/O, even through another module: reach CRMs, files and logs through activities.'],
        [['zod'], 'The workflow bundle carries no zod (validation stays at the edges), even through another module.'],
        [['@temporalio/activity', '@temporalio/worker', '@temporalio/client', '@temporalio/testing'], 'Workflows run only @temporalio/workflow and @temporalio/common, even through another module.'],
        [['activities/', 'worker/', 'sandbox/'], 'Workflows run only workflows/, api/ and mappings/ code (activities as types only), even through another module.'],
      ),
      'no-restricted-globals': [
        'error',
        ...['process', 'setTimeout', 'setInterval', 'setImmediate', 'fetch', 'require', 'performance'].map((name) => ({
          name,
          message: `\`${name}\` is not deterministic in a workflow: use sleep()/condition(), activities or workflowInfo().`,
        })),
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'Date.now() in a workflow: use workflowNow() from workflows/clock.ts, the one sanctioned reading of workflow time.' },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'new Date() in a workflow: use workflowNow() from workflows/clock.ts.' },
        { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: 'Math.random() in a workflow: use uuid4() or pass randomness in from an activity.' },
        ...moduleState,
      ],
    },
  },
  {
    files: ['activities/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@temporalio/workflow'], message: 'Activities never import the workflow runtime.' },
            { group: ['**/sandbox/**', '**/sandbox'], message: 'Adapters reach the sandboxes over HTTP only.' },
          ],
        },
      ],
      'layering/no-reaching': reaching(
        [['@temporalio/workflow'], 'Activities never run the workflow runtime, not even through another module.'],
        [['workflows/'], "Activities never run workflow code: a feature's ids, message names and payload types live in api/."],
        [['sandbox/'], 'Adapters reach the sandboxes over HTTP only.'],
      ),
    },
  },
  {
    files: ['api/**/*.ts'],
    rules: {
      'layering/no-reaching': reaching(
        [['@temporalio/workflow'], 'api/ sits below workflows and activities: no workflow runtime (define signals, queries and updates in workflows/).'],
        [nodeBuiltinPatterns, 'api/ sits below workflows and activities: no Node built-in.'],
        [['workflows/', 'activities/', 'worker/', 'sandbox/'], 'api/ sits below workflows and activities: it imports only mappings/ and @temporalio/common.'],
      ),
      'no-restricted-syntax': ['error', ...moduleState],
    },
  },
  {
    files: ['mappings/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [luxonSettings],
          patterns: [
            { group: ['@temporalio/*'], message: 'mappings/ (the contract) is pure: no Temporal.' },
            { group: ['**/workflows/**', '**/activities/**', '**/worker/**', '**/sandbox/**', '**/api/**'], message: 'mappings/ imports no other layer.' },
          ],
        },
      ],
      'layering/no-reaching': reaching(
        [['@temporalio/*'], 'mappings/ (the contract) is pure: no Temporal, not even through another module.'],
        [['workflows/', 'activities/', 'worker/', 'sandbox/', 'api/'], 'mappings/ imports no other layer, not even through another module.'],
      ),
      'no-restricted-syntax': ['error', ...moduleState],
    },
  },
  { files: ['lint/**/*.js'], ...tseslint.configs.disableTypeChecked },
);
