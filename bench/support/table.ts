import type { MainHeap } from './worker-spec';

/** The one table `npm run bench` prints: each figure next to its limit or target, and its size. */
export interface Row {
  measure: string;
  figure: string;
  target: string;
  /** What the figure was measured at (leads, samples), so no figure stands without its size. */
  size: string;
}

export function renderTable(rows: Row[]): string {
  const headers: Row = { measure: 'measure', figure: 'measured', target: 'limit / target', size: 'size' };
  const all = [headers, ...rows];
  const width = (key: keyof Row) => Math.max(...all.map((r) => r[key].length));
  const line = (r: Row) => `| ${r.measure.padEnd(width('measure'))} | ${r.figure.padEnd(width('figure'))} | ${r.target.padEnd(width('target'))} | ${r.size.padEnd(width('size'))} |`;
  const rule = `|${'-'.repeat(width('measure') + 2)}|${'-'.repeat(width('figure') + 2)}|${'-'.repeat(width('target') + 2)}|${'-'.repeat(width('size') + 2)}|`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

export function mb(bytes: number): string {
  return `${Math.round(bytes / 1024 / 1024)} MB`;
}

/** `main heap 38 → 52 MB used (of 45 → 60 MB); the rest 206 → 300 MB`: the RSS split at idle and parked. */
export function heapSplit(idle: MainHeap, idleRssBytes: number, parked: MainHeap, parkedRssBytes: number): string {
  const from = (bytes: number): string => mb(bytes).replace(' MB', '');
  return `main heap ${from(idle.usedBytes)} → ${mb(parked.usedBytes)} used (of ${from(idle.totalBytes)} → ${mb(parked.totalBytes)}); the rest ${from(idleRssBytes - idle.totalBytes)} → ${mb(parkedRssBytes - parked.totalBytes)}`;
}
