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
