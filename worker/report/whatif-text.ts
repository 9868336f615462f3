/** The what-if as the terminal shows it: each figure, what happened next to what the proposal would have done. */
import type { WhatIfColumn, WhatIfResult } from '../../mappings/whatif';

const pct = (v: number | null): string => (v === null ? '—' : `${v}%`);

function rows(result: WhatIfResult): Array<[string, string, string]> {
  const both = (f: (c: WhatIfColumn) => string): [string, string] => [f(result.actual), f(result.proposed)];
  const name = (id: string) => result.repNames[id] ?? id;
  const reps = [...new Set([...Object.keys(result.actual.load), ...Object.keys(result.proposed.load)])].sort((a, b) => name(a).localeCompare(name(b)));
  return [
    ['MQL volume', ...both((c) => String(c.mqlVolume))],
    ['acceptance rate', ...both((c) => `${pct(c.acceptanceRate)} (${c.accepted}/${c.decided})`)],
    ['decided in the first window', ...both((c) => `${pct(c.firstWindowRate)} (${c.firstWindow}/${c.windowDecided})`)],
    ['speed-to-lead attainment', ...both((c) => `${pct(c.speedToLeadAttainment)} of ${c.speedToLeadMeasured} within ${c.speedToLeadTarget}`)],
    ['speed-to-lead median', ...both((c) => (c.speedToLeadMedian === null ? '—' : `${c.speedToLeadMedian} ${c.speedToLeadUnit}`))],
    ['reassignments', ...both((c) => String(c.reassignments))],
    ['reverts (every window missed)', ...both((c) => String(c.reverts))],
    ['rejections', ...both((c) => String(c.rejections))],
    ['outcome unknown', ...both((c) => (c.unknown ? `${c.unknown} SIGNAL MISSING` : '0'))],
    ...reps.map((id): [string, string, string] => [`load: ${name(id)}`, ...both((c) => `${c.load[id] ?? 0} (missed ${c.missedWindowsByRep[id] ?? 0})`)]),
  ];
}

export function renderWhatIf(result: WhatIfResult, labels: { proposed: string; actual: string }): string {
  const table = rows(result);
  const widths = [0, 1, 2].map((i) => Math.max(...[['', 'actual', 'proposed'], ...table].map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('   ').trimEnd();
  return [
    `what-if: ${labels.proposed} against ${labels.actual}, ${result.episodes} episode(s) from ${result.window.from} to ${result.window.to}`,
    '',
    line(['', 'actual', 'proposed']),
    ...table.map(line),
    '',
    `not MQLs under the proposal: ${result.notMql}; decisions credited to another rep than the one who made them (the lead's clock kept): ${result.reattributed}`,
    ...result.signalsMissing,
    'assumptions: docs/reconciliation.md#what-if',
  ].join('\n');
}
