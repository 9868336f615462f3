import type { CrmRequestMeter } from '../../activities/crm';

/** A request meter that only counts, for comparing with the sandbox's own count of what it received. */
export function countingMeter(): CrmRequestMeter & { readonly counts: { sent: number; rateLimited: number } } {
  const counts = { sent: 0, rateLimited: 0 };
  return { counts, sent: () => void (counts.sent += 1), rateLimited: () => void (counts.rateLimited += 1) };
}

/** Every request a sandbox counted (faulted ones included; admin routes are never counted). */
export function receivedRequests(counter: { all(): Record<string, number> }): number {
  return Object.values(counter.all()).reduce((sum, n) => sum + n, 0);
}
