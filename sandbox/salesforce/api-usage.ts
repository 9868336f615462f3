/**
 * The org's rolling 24-hour API allocation (100,000 + 1,000 per licence on Enterprise): every REST
 * call counts, each answer reports `Sforce-Limit-Info: api-usage=used/limit`, and an exhausted
 * allocation answers 403 REQUEST_LIMIT_EXCEEDED.
 */
import type { Clock } from '../clock';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface ApiUsage {
  readonly limit: number;
  /** Counts one call; false when the allocation is already spent. */
  take(): boolean;
  used(): number;
  header(): string;
}

export function createApiUsage(limit: number, clock: Clock): ApiUsage {
  const stamps: number[] = [];
  const prune = (): void => {
    const cutoff = clock() - DAY_MS;
    let drop = 0;
    while (drop < stamps.length && (stamps[drop] ?? 0) <= cutoff) drop++;
    if (drop > 0) stamps.splice(0, drop);
  };
  return {
    limit,
    take() {
      prune();
      if (stamps.length >= limit) return false;
      stamps.push(clock());
      return true;
    },
    used() {
      prune();
      return stamps.length;
    },
    header() {
      prune();
      return `api-usage=${stamps.length}/${limit}`;
    },
  };
}
