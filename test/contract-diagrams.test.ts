import { JSDOM } from 'jsdom';
import { beforeAll, describe, expect, it } from 'vitest';
import { handoffFlowchart, lifecycleStateDiagram, renderSlaDocument } from '../mappings/document';
import { loadContract, PRESETS, presetPath } from '../mappings/load';
import { buildStateMachine } from '../mappings/contract';
import { defaultContract, variant } from './contract-fixtures';

type Mermaid = (typeof import('mermaid'))['default'];
let mermaid: Mermaid;

beforeAll(async () => {
  // mermaid sanitises labels with DOMPurify, which needs a DOM: give it jsdom's window.
  const { window } = new JSDOM('<!doctype html><html><body></body></html>');
  Object.assign(globalThis, { window, document: window.document });
  mermaid = (await import('mermaid')).default;
});

const NOW = new Date('2026-11-24T10:00:00Z');

function mermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```mermaid\n([\s\S]*?)\n```/g)].map((m) => m[1] ?? '');
}

describe.each(PRESETS)('the %s preset’s diagrams', (preset) => {
  const contract = loadContract(presetPath(preset));

  it('parse with the real mermaid package', async () => {
    await expect(mermaid.parse(lifecycleStateDiagram(contract))).resolves.toMatchObject({ diagramType: 'stateDiagram' });
    await expect(mermaid.parse(handoffFlowchart(contract))).resolves.toMatchObject({ diagramType: 'flowchart-v2' });
  });

  it('draw every transition of the state machine', () => {
    const diagram = lifecycleStateDiagram(contract);
    for (const t of buildStateMachine(contract).transitions) expect(diagram).toContain(`${t.from} --> ${t.to} : `);
  });
});

describe('mermaid.parse', () => {
  it('rejects a broken diagram, so the checks above can fail', async () => {
    await expect(mermaid.parse('flowchart TD\n  A[[[ -->')).rejects.toThrow();
  });
});

describe('diagrams follow the contract', () => {
  it('drop the reassignment loop when the contract allows no reassignment', () => {
    const before = defaultContract();
    const after = variant({ 'handoff.reassignLimit': 0 });
    expect(lifecycleStateDiagram(before)).toContain('AwaitingAcceptance --> AwaitingAcceptance');
    expect(lifecycleStateDiagram(after)).not.toContain('AwaitingAcceptance --> AwaitingAcceptance');
    expect(handoffFlowchart(before)).toContain('decision -->|"No: reassign, up to 2x"| route');
    expect(handoffFlowchart(after)).not.toContain('reassign, up to');
  });

  it('show the rejection taxonomy’s codes on the recycle path', () => {
    const changed = variant({ 'rejectionTaxonomy.2.code': 'NEXT_FISCAL_YEAR', 'feedback.rejectionFeeds.1.codes.1': 'NEXT_FISCAL_YEAR' });
    expect(handoffFlowchart(changed)).toContain('NO_BUDGET_AUTHORITY, NEXT_FISCAL_YEAR, BAD_CONTACT_DATA');
    expect(lifecycleStateDiagram(changed)).toContain('NEXT_FISCAL_YEAR');
    expect(handoffFlowchart(defaultContract())).not.toContain('NEXT_FISCAL_YEAR');
  });

  it('show the acceptance window from the contract', () => {
    expect(handoffFlowchart(variant({ 'handoff.acceptanceWindowBusinessMinutes': 45 }))).toContain('Accepted within 45 business minutes?');
  });
});

describe('renderSlaDocument', () => {
  const doc = renderSlaDocument(defaultContract(), { now: NOW });

  it('has the playbook’s eight sections, in order', () => {
    const headings = doc.split('\n').filter((l) => l.startsWith('### '));
    expect(headings).toEqual([
      '### I. ALIGNMENT HEALTH SUMMARY',
      '### II. SHARED DEFINITIONS',
      '### III. RECIPROCAL COMMITMENTS',
      '### IV. HANDOFF & REVERT RULES',
      '### V. FEEDBACK LOOP',
      '### VI. SLA DASHBOARD SPEC',
      '### VII. GOVERNANCE CADENCE',
      '### VIII. 30 / 60 / 90 DAY ROLLOUT PLAN',
    ]);
  });

  it('has exactly two mermaid blocks, the state diagram in II and the flowchart in IV, both valid', async () => {
    const blocks = mermaidBlocks(doc);
    expect(blocks).toEqual([lifecycleStateDiagram(defaultContract()), handoffFlowchart(defaultContract())]);
    expect(doc.match(/```/g)).toHaveLength(4);
    expect(doc.indexOf('stateDiagram-v2')).toBeGreaterThan(doc.indexOf('### II.'));
    expect(doc.indexOf('flowchart TD')).toBeGreaterThan(doc.indexOf('### IV.'));
    for (const block of blocks) await expect(mermaid.parse(block)).resolves.toBeTruthy();
  });

  it('uses the playbook’s table headers', () => {
    expect(doc).toContain('| Stage | One-Sentence Definition | Observable Criteria | Owner |');
    expect(doc).toContain('| Team | Commitment | Target | Measure | Owner |');
    expect(doc).toContain('| Metric | Definition | HubSpot Report | Target |');
  });

  it('shows the lineage, with its SIGNAL MISSING lines', () => {
    expect(doc).toContain('- contact_attempts: SIGNAL MISSING: Salesforce Tasks (Task.CreatedDate) do not cross the connector');
    expect(doc).toMatch(/\| disposition_logged \| .* \| yes \| always_salesforce \| up to 15 min \|/);
  });

  it('rates alignment from the check: INFORMAL with a missing signal, CONTRACTED when clean, BROKEN with errors', () => {
    expect(doc).toContain('Overall alignment rating: **INFORMAL**');
    expect(renderSlaDocument(loadContract(presetPath('small-team')), { now: NOW })).toContain('Overall alignment rating: **CONTRACTED**');
    expect(renderSlaDocument(variant({ 'commitments.0.owner': 'nobody' }), { now: NOW })).toContain('Overall alignment rating: **BROKEN**');
  });

  it('dates the document from the given now', () => {
    expect(doc).toContain('rendered 2026-11-24');
  });
});
