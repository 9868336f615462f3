import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** Lints `code` as if it were a file at `path` in the repository, with the project's own config. */
async function lintAs(path: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: process.cwd() });
  const [result] = await eslint.lintText(code, { filePath: path });
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`);
}

describe('the determinism lint', () => {
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

  it('refuses a floating promise anywhere', async () => {
    const messages = await lintAs('worker/__lint_probe__.ts', 'async function go(): Promise<void> {}\nexport function f(): void { go(); }\n');
    expect(messages.join('\n')).toMatch(/no-floating-promises/);
  });

  it('refuses @temporalio/workflow in an activity', async () => {
    const messages = await lintAs('activities/__lint_probe__.ts', "import { sleep } from '@temporalio/workflow';\nexport const s = sleep;\n");
    expect(messages.join('\n')).toMatch(/Activities never import the workflow runtime/);
  });

  it('lets the real workflow files through', async () => {
    const eslint = new ESLint({ cwd: process.cwd() });
    const results = await eslint.lintFiles(['workflows/']);
    expect(results.flatMap((r) => r.messages.map((m) => `${r.filePath}: ${m.message}`))).toEqual([]);
  });
});
