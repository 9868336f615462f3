import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, SECRET_VARIABLES } from '../worker/config';
import { createBridgeMetrics, registerAdmissionMetrics } from '../worker/metrics';
import { admissionForCache } from '../worker/workflow-admission';

const doc = readFileSync(new URL('../docs/operations.md', import.meta.url), 'utf8');
const envRows = new Map(
  doc
    .split('\n')
    .map((line) => /^\| `([A-Z0-9_]+)` \|(.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => [match[1] ?? '', match[2] ?? '']),
);

describe('docs/operations.md', () => {
  it('documents every variable of the config schema, and no variable the schema lacks', () => {
    expect([...envRows.keys()].sort()).toEqual([...CONFIG_VARIABLES].sort());
  });

  it('marks every secret variable as secret', () => {
    for (const name of SECRET_VARIABLES) expect(envRows.get(name)?.split('|')[1]?.trim(), name).toBe('yes');
  });

  it("documents every one of the bridge's own metrics", async () => {
    const metrics = createBridgeMetrics({ processMetrics: false });
    registerAdmissionMetrics(metrics, admissionForCache(150));
    const names = (await metrics.registry.getMetricsAsJSON()).map((m) => m.name);
    expect(names).toContain('handoff_admission_busy_limit');
    for (const name of names) expect(doc, name).toContain(`| \`${name}\` |`);
  });

  it('says that Docker artefacts were validated statically only', () => {
    expect(doc).toMatch(/Validated statically only/);
  });
});
