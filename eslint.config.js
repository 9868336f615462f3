// Lint that protects Temporal's determinism and the layering of the design (workflows → mappings and
// activity types only; activities never touch the workflow runtime; mappings stay pure).
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
// The workflow bundle preloads luxon once per workflow thread, shared by every workflow on it
// (worker/workflow-bundle-options.ts): a change to its global Settings would leak between workflows.
const luxonSettings = { name: 'luxon', importNames: ['Settings'], message: "luxon is shared by every workflow on a thread: never change its global Settings; pass zone and locale per call." };

export default tseslint.config(
  { ignores: ['node_modules/', '.tools/', '.data/', 'dist/', 'coverage/'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js', 'bin/*.mjs', '*/__lint_probe__.ts'], defaultProject: 'tsconfig.json' }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
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
            { group: ['**/activities', '**/activities/*'], allowTypeImports: true, message: 'Workflows import activities as types only (proxyActivities).' },
            { group: ['**/worker/*', '**/sandbox/*', '**/mappings/load*'], message: 'Workflows import only mappings/ (pure) and activity types.' },
          ],
        },
      ],
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
            { group: ['**/sandbox/*', '**/sandbox'], message: 'Adapters reach the sandboxes over HTTP only.' },
          ],
        },
      ],
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
            { group: ['**/workflows/*', '**/activities/*', '**/worker/*', '**/sandbox/*'], message: 'mappings/ imports no other layer.' },
          ],
        },
      ],
    },
  },
);
