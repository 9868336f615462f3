import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkContract } from '../mappings/check';
import { loadContract, PRESETS, presetPath } from '../mappings/load';
import { cli } from './helpers/cli';
import { errorsOf, REMOVE, variantText } from './contract-fixtures';

const dir = mkdtempSync(join(tmpdir(), 'sla-cli-'));

/** Runs `sla …` and returns its exit code with everything it printed. */
async function sla(...args: string[]): Promise<{ code: number; out: string }> {
  const { code, out } = await cli('sla', ...args);
  return { code, out };
}

function writeContract(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('every shipped preset', () => {
  it.each(PRESETS)('%s passes sla check', async (preset) => {
    expect(errorsOf(checkContract(loadContract(presetPath(preset))))).toEqual([]);
    const { code, out } = await sla('check', '--preset', preset);
    expect(code).toBe(0);
    expect(out).toMatch(/: 0 error\(s\)/);
  });
});

describe('sla check', () => {
  it('prints each commitment’s lineage', async () => {
    const { out } = await sla('check');
    expect(out).toContain('disposition_logged: bridge:handoff_assigned_at → salesforce:Disposition__c; crosses the connector (always_salesforce), lag up to 15 min');
    expect(out).toContain('SIGNAL MISSING: Salesforce Tasks');
  });

  it('fails on a broken contract, naming file, line, path and reason', async () => {
    const text = variantText({ 'commitments.2.owner': 'somebody' });
    const path = writeContract('unknown-owner.yaml', text);
    const line = text.split('\n').findIndex((l) => l.includes('owner: somebody')) + 1;
    const { code, out } = await sla('check', '--contract', path);
    expect(code).toBe(1);
    expect(out).toContain(`error   ${path}:${line} commitments.2.owner: unknown owner "somebody"`);
  });

  it('fails on a contract that does not fit the schema, listing the problem', async () => {
    const path = writeContract('no-owner.yaml', variantText({ 'commitments.0.owner': REMOVE }));
    const { code, out } = await sla('check', '--contract', path);
    expect(code).toBe(1);
    expect(out).toMatch(new RegExp(`${path}:\\d+ commitments\\.0\\.owner: .*\\(got nothing\\)`));
  });

  it('reads HANDOFF_CONTRACT when no contract is named', async () => {
    vi.stubEnv('HANDOFF_CONTRACT', writeContract('env.yaml', variantText({ 'handoff.reassignLimit': 'two' })));
    const { code, out } = await sla('check');
    expect(code).toBe(1);
    expect(out).toContain('env.yaml');
  });

  it('reports a missing file and bad usage clearly', async () => {
    const missing = await sla('check', '--contract', join(dir, 'absent.yaml'));
    expect(missing.code).toBe(1);
    expect(missing.out).toContain('file not found');
    const preset = await sla('check', '--preset', 'enterprise');
    expect(preset.code).toBe(2);
    expect(preset.out).toContain("option '--preset <name>' argument 'enterprise' is invalid. Allowed choices are default, small-team");
    const sub = await sla('lint');
    expect(sub.code).toBe(2);
    expect(sub.out).toBe("error: unknown command 'sla lint' (one of check, render, whatif)");
  });
});

describe('sla render', () => {
  it('writes the SLA document with eight sections and two diagrams', async () => {
    const out = join(dir, 'sla.md');
    const result = await sla('render', '--preset', 'account-based', '--out', out);
    expect(result.code).toBe(0);
    const doc = readFileSync(out, 'utf8');
    expect(doc.match(/^### [IVX]+\. /gm)).toHaveLength(8);
    expect(doc.match(/^```mermaid$/gm)).toHaveLength(2);
    expect(doc).toContain('one per account, keyed by `associatedcompanyid`');
  });

  it('needs --out', async () => {
    const result = await sla('render');
    expect(result.code).toBe(2);
    expect(result.out).toBe("error: required option '--out <file>' not specified");
  });
});
