import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

/** Lints `code` as if it were a file at `path` in the repository, with the project's own config. */
async function lintAs(path: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: process.cwd() });
  const [result] = await eslint.lintText(code, { filePath: path });
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`);
}

describe('the determinism lint', () => {
  // The first lint in a process loads the config, its plugins and a TypeScript program for the typed
  // rules: seconds alone, past a minute beside two other test files on 2 slow cores. Paid here, once,
  // so each case below times only its own lint.
  beforeAll(async () => {
    await lintAs('workflows/__lint_probe__.ts', 'export const warm = 1;\n');
  }, 180_000);

  it('refuses Date.now() in a workflow', async () => {
    const messages = await lintAs('workflows/__lint_probe__.ts', 'export const t = (): number => Date.now();\n');
    expect(messages.join('\n')).toMatch(/no-restricted-syntax: Date\.now\(\) in a workflow/);
  });

  it('refuses a Node built-in imported by a workflow', async () => {
    const messages = await lintAs('workflows/__lint_probe__.ts', "import { readFileSync } from 'fs';\nexport const f = readFileSync;\n");
    expect(messages.join('\n')).toMatch(/no-restricted-imports: 'fs' import is restricted/);
  });

  it('refuses a value import of activities from a workflow but allows the type import', async () => {
    const valueImport = await lintAs('workflows/__lint_probe__.ts', "import { createCanaryActivities } from '../activities/canary';\nexport const a = createCanaryActivities;\n");
    expect(valueImport.join('\n')).toMatch(/activities as types only/);
    const typeImport = await lintAs('workflows/__lint_probe__.ts', "import type { CanaryActivities } from '../activities/canary';\nexport type A = CanaryActivities;\n");
    expect(typeImport).toEqual([]);
  });

  it("refuses luxon's global Settings in mappings and workflows (luxon is shared between workflows)", async () => {
    const code = "import { Settings } from 'luxon';\nSettings.defaultZone = 'Europe/Paris';\n";
    for (const path of ['mappings/__lint_probe__.ts', 'workflows/__lint_probe__.ts']) {
      expect((await lintAs(path, code)).join('\n')).toMatch(/never change its global Settings/);
    }
    expect(await lintAs('mappings/__lint_probe__.ts', "import { DateTime } from 'luxon';\nexport const d = DateTime.fromISO('2026-01-01', { zone: 'UTC' });\n")).toEqual([]);
  });

  it('refuses module-level state in the modules workflows share (workflows/, api/, mappings/: preloaded once per thread)', async () => {
    const counter = 'let calls = 0;\nexport function count(): number {\n  calls += 1;\n  return calls;\n}\n';
    for (const path of ['workflows/__lint_probe__.ts', 'api/__lint_probe__.ts', 'mappings/__lint_probe__.ts']) {
      expect((await lintAs(path, counter)).join('\n')).toMatch(/module-level `let` here is shared by every workflow on a thread/);
    }
    expect((await lintAs('workflows/__lint_probe__.ts', 'export var last = 0;\n')).join('\n')).toMatch(/module-level `var`/);
    // State inside a function stays the workflow's own; constants at module level are shared as they are.
    expect(await lintAs('workflows/__lint_probe__.ts', 'export const LIMIT = 3;\nexport function count(): number {\n  let calls = 0;\n  calls += LIMIT;\n  return calls;\n}\n')).toEqual([]);
    expect(await lintAs('worker/__lint_probe__.ts', counter)).toEqual([]);
  });

  it('refuses a floating promise anywhere', async () => {
    const messages = await lintAs('worker/__lint_probe__.ts', 'async function go(): Promise<void> {}\nexport function f(): void { go(); }\n');
    expect(messages.join('\n')).toMatch(/no-floating-promises/);
  });

  it('refuses @temporalio/workflow in an activity', async () => {
    const messages = await lintAs('activities/__lint_probe__.ts', "import { sleep } from '@temporalio/workflow';\nexport const s = sleep;\n");
    expect(messages.join('\n')).toMatch(/Activities never import the workflow runtime/);
  });

  it('refuses an activity that reaches @temporalio/workflow through two other modules', async () => {
    // A chain outside the layers, so no direct-import rule can see it: probe → middle → last → runtime.
    const dir = mkdtempSync(join(tmpdir(), 'lint-chain-'));
    try {
      writeFileSync(join(dir, 'last.ts'), "import { sleep } from '@temporalio/workflow';\nexport const pause = sleep;\n");
      writeFileSync(join(dir, 'middle.ts'), "import { pause } from './last';\nexport const wait = pause;\n");
      const messages = (await lintAs('activities/__lint_probe__.ts', `import { wait } from '${join(dir, 'middle')}';\nexport const w = wait;\n`)).join('\n');
      expect(messages).toMatch(/layering\/no-reaching: Activities never run the workflow runtime, not even through another module\. \(activities\/__lint_probe__\.ts → \S+middle\.ts → \S+last\.ts → @temporalio\/workflow\)/);
      expect(messages).not.toMatch(/no-restricted-imports/);
      // The same chain with the runtime import only as a type is erased at compile time: nothing to refuse.
      writeFileSync(join(dir, 'last.ts'), "import type { WorkflowInfo } from '@temporalio/workflow';\nexport type Info = WorkflowInfo;\nexport const pause = 1;\n");
      expect((await lintAs('activities/__lint_probe__.ts', `import { wait } from '${join(dir, 'middle')}';\nexport const w = wait;\n`)).join('\n')).not.toMatch(/no-reaching/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses workflow code in an activity and the workflow runtime in api/', async () => {
    expect((await lintAs('activities/__lint_probe__.ts', "import { workflowNow } from '../workflows/clock';\nexport const n = workflowNow;\n")).join('\n')).toMatch(/Activities never run workflow code.*live in api\//);
    expect((await lintAs('api/__lint_probe__.ts', "import { defineQuery } from '@temporalio/workflow';\nexport const q = defineQuery('x');\n")).join('\n')).toMatch(/api\/ sits below workflows and activities: no workflow runtime/);
    expect(await lintAs('activities/__lint_probe__.ts', "import { HANDOFF_WORKFLOW } from '../api/handoff';\nexport const w = HANDOFF_WORKFLOW;\n")).toEqual([]);
  });

  it("follows a feature folder's index only to the modules a workflow takes from it", async () => {
    expect(await lintAs('workflows/__lint_probe__.ts', "import { evaluateDefinition } from '../mappings/contract';\nexport const e = evaluateDefinition;\n")).toEqual([]);
    const messages = (await lintAs('workflows/__lint_probe__.ts', "import { contractSchema } from '../mappings/contract';\nexport const c = contractSchema;\n")).join('\n');
    expect(messages).toMatch(/carries no zod.*mappings\/contract\/index\.ts → mappings\/contract\/schema\.ts → zod/);
  });

  it("refuses an import into a feature folder that goes around its index", async () => {
    const around = await lintAs('worker/__lint_probe__.ts', "import { createCallBudget } from '../activities/crm/call-budget';\nexport const c = createCallBudget;\n");
    expect(around.join('\n')).toMatch(/activities\/crm\/call-budget\.ts is inside the feature folder activities\/crm\/: import it from its index \('\.\.\/activities\/crm'\)/);
    expect(await lintAs('worker/__lint_probe__.ts', "import { createCallBudget } from '../activities/crm';\nexport const c = createCallBudget;\n")).toEqual([]);
  });

  it('lets the real workflow files through', async () => {
    const eslint = new ESLint({ cwd: process.cwd() });
    const results = await eslint.lintFiles(['workflows/']);
    expect(results.flatMap((r) => r.messages.map((m) => `${r.filePath}: ${m.message}`))).toEqual([]);
  });
});
