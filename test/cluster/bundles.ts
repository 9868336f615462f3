/**
 * Workflow bundles of two versions of the bridge for deploy tests: v1 is the code as it is; v2 is a
 * copy of workflows/, api/ and mappings/ in which leadHandoff starts with a one-second timer before its
 * first step, so every command it makes after that differs from v1's: a v1 history replayed on v2
 * fails with a nondeterminism error, which is what a deploy must never cause for an open handoff.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowBundleOptions } from '../../worker/workflow-bundle-options';
import { quietBundlerLogger } from '../helpers/quiet-bundler-logger';

const ROOT = resolve(import.meta.dirname, '..', '..');

export function bundleCurrent(): Promise<{ code: string }> {
  return bundleWorkflowCode(workflowBundleOptions({ logger: quietBundlerLogger }));
}

/** Bundles a copy of the workflow sources after `edit` rewrote its lead-handoff.ts. */
export async function bundleEdited(edit: (source: string) => string): Promise<{ code: string }> {
  // Inside the project, so the copy resolves @temporalio/* and luxon from the same node_modules.
  // .data is git-ignored and absent from a fresh clone.
  mkdirSync(join(ROOT, '.data'), { recursive: true });
  const dir = mkdtempSync(join(ROOT, '.data', 'bundle-'));
  try {
    for (const folder of ['workflows', 'api', 'mappings']) cpSync(join(ROOT, folder), join(dir, folder), { recursive: true });
    const file = join(dir, 'workflows', 'handoff', 'lead-handoff.ts');
    const before = readFileSync(file, 'utf8');
    const after = edit(before);
    if (after === before) throw new Error('the edit did not change workflows/handoff/lead-handoff.ts');
    writeFileSync(file, after);
    return await bundleWorkflowCode({ workflowsPath: join(dir, 'workflows', 'index.ts'), logger: quietBundlerLogger });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const ENTRY = 'export async function leadHandoff(';

/** v2: the v1 body behind a wrapper that first sleeps one second (a new first command). */
export function withLeadingTimer(source: string): string {
  if (!source.includes(ENTRY)) throw new Error(`workflows/handoff/lead-handoff.ts no longer declares "${ENTRY}"`);
  return [
    source.replace(ENTRY, 'async function leadHandoffV1('),
    "import { sleep as v2Sleep } from '@temporalio/workflow';",
    'export async function leadHandoff(...args: Parameters<typeof leadHandoffV1>): ReturnType<typeof leadHandoffV1> {',
    "  await v2Sleep('1 second');",
    '  return leadHandoffV1(...args);',
    '}',
    '',
  ].join('\n');
}
