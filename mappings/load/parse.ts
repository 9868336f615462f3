/**
 * YAML text → Contract, with every problem located by file, line and path. Pure (no file access):
 * load.ts reads the file, this reads the text.
 */
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { ContractError } from './contract-error';
import { type SourceMap, contractSchema, type Contract } from '../contract';

export interface ParsedContract {
  contract: Contract;
  sourceMap: SourceMap;
}

function toSegments(path: string): Array<string | number> {
  return path === '' ? [] : path.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** The line of the deepest node along `path` that exists in the file (a missing key points at its parent). */
function lineFinder(doc: Document, lineCounter: LineCounter): (path: string) => number | undefined {
  return (path) => {
    const segments = toSegments(path);
    for (let depth = segments.length; depth >= 0; depth--) {
      const node = depth === 0 ? doc.contents : doc.getIn(segments.slice(0, depth), true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
}

function valueAt(data: unknown, segments: ReadonlyArray<PropertyKey>): unknown {
  let current = data;
  for (const key of segments) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  // JSON.stringify answers undefined for what JSON cannot hold (e.g. a member of a `!!binary` value).
  const json = JSON.stringify(value) ?? typeof value;
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

function describeIssues(issues: readonly z.core.$ZodIssue[], data: unknown, source: string, lineOf: (p: string) => number | undefined): string[] {
  return issues.flatMap((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...issue.path, k]) : [issue.path];
    return keys.map((segments) => {
      const path = segments.map(String).join('.');
      const reason = issue.code === 'unrecognized_keys' ? `unknown key (a typo? the contract accepts no free-form keys)` : issue.message;
      return `${source}:${lineOf(path) ?? 1} ${path || '(document)'}: ${reason} (got ${shown(valueAt(data, segments))})`;
    });
  });
}

/** Parses and validates a contract and keeps a map from paths to lines for `sla check`. */
export function parseContractWithSource(text: string, source: string): ParsedContract {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    throw new ContractError(source, doc.errors.map((e) => `${source}:${lineCounter.linePos(e.pos[0]).line} (yaml): ${e.message.split('\n')[0] ?? e.message}`));
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    // An alias to no anchor, or too many aliases, only surfaces here (a ReferenceError from yaml).
    const message = err instanceof Error ? err.message : String(err);
    const alias = /: (\S+)$/.exec(message)?.[1];
    const at = alias ? text.indexOf(`*${alias}`) : -1;
    throw new ContractError(source, [`${source}:${at >= 0 ? lineCounter.linePos(at).line : 1} (yaml): ${message}`]);
  }
  const lineOf = lineFinder(doc, lineCounter);
  const result = contractSchema.safeParse(data);
  if (!result.success) throw new ContractError(source, describeIssues(result.error.issues, data, source, lineOf));
  return { contract: result.data, sourceMap: { source, lineOf } };
}

export function parseContract(text: string, source: string): Contract {
  return parseContractWithSource(text, source).contract;
}
