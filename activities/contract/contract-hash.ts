/**
 * A contract version's name: the sha256 of its canonical JSON (keys sorted at every depth, so the
 * same contract read from differently ordered YAML has one hash). `c-` and 16 hex digits, like the
 * workflow bundle's build ids: short enough for a timeline line, long enough never to collide among
 * the handful of versions a portal ever has.
 */
import { createHash } from 'node:crypto';
import type { Contract } from '../../mappings/contract';

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => [k, canonical(v)]),
  );
}

export function contractHash(contract: Contract): string {
  return `c-${createHash('sha256').update(JSON.stringify(canonical(contract))).digest('hex').slice(0, 16)}`;
}
