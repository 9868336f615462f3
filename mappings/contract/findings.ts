/**
 * What `sla check` reports: findings that name the path in the contract file (and its line when the
 * file is known), so a broken contract says where and why.
 */
export interface Finding {
  severity: 'error' | 'warning';
  /** Dotted path into the contract, e.g. `commitments.2.owner`. */
  path: string;
  message: string;
  /** Where the path sits in the file, when checked with a source map. */
  source?: string;
  line?: number;
}

/** Resolves a dotted path to its line in the file the contract came from. */
export interface SourceMap {
  source: string;
  lineOf(path: string): number | undefined;
}

/** Collects findings for one area of the contract. */
export class Findings {
  readonly list: Finding[] = [];

  error(path: string, message: string): void {
    this.list.push({ severity: 'error', path, message });
  }

  warn(path: string, message: string): void {
    this.list.push({ severity: 'warning', path, message });
  }
}

export function formatFinding(f: Finding): string {
  const where = f.source ? `${f.source}${f.line ? `:${f.line}` : ''} ` : '';
  return `${f.severity === 'error' ? 'error  ' : 'warning'} ${where}${f.path}: ${f.message}`;
}

/** Places each finding at its line in the file (when a source map is given), errors first. */
export function locateFindings(findings: readonly Finding[], sourceMap?: SourceMap): Finding[] {
  const located = findings.map((f): Finding => {
    if (!sourceMap) return f;
    const line = sourceMap.lineOf(f.path);
    return line === undefined ? { ...f, source: sourceMap.source } : { ...f, source: sourceMap.source, line };
  });
  return located.sort((a, b) => Number(a.severity === 'warning') - Number(b.severity === 'warning'));
}
