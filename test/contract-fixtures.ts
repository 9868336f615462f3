/**
 * Contracts for the contract tests: the shipped presets, and variants of the default preset edited
 * in place (path → new value), so each broken contract differs from a valid one in one place.
 */
import { readFileSync } from 'node:fs';
import { Document, parse } from 'yaml';
import { checkContract, type Finding } from '../mappings/check';
import { parseContract, presetPath } from '../mappings/load';
import type { Contract } from '../mappings/contract';

/** Marks a path to delete in `variantText`. */
export const REMOVE = Symbol('remove');

function segments(path: string): Array<string | number> {
  return path.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

export function defaultText(): string {
  return readFileSync(presetPath('default'), 'utf8');
}

/** The default preset's YAML (anchors resolved) with each `path` set to its value (or removed). */
export function variantText(edits: Record<string, unknown>): string {
  const doc = new Document(parse(defaultText()), { aliasDuplicateObjects: false });
  for (const [path, value] of Object.entries(edits)) {
    if (value === REMOVE) doc.deleteIn(segments(path));
    else doc.setIn(segments(path), doc.createNode(value));
  }
  return doc.toString();
}

export function variant(edits: Record<string, unknown>): Contract {
  return parseContract(variantText(edits), 'variant.yaml');
}

export function defaultContract(): Contract {
  return variant({});
}

export function errorsOf(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.severity === 'error');
}

export function checkVariant(edits: Record<string, unknown>): Finding[] {
  return errorsOf(checkContract(variant(edits)));
}

/** The messages of the findings at `path`, one per line: what a failing expectation shows. */
export function messagesAt(findings: readonly Finding[], path: string): string {
  return findings.filter((f) => f.path === path).map((f) => f.message).join('\n');
}
