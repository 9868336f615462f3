/**
 * Spaces a reconciliation's HubSpot searches to HubSpot's per-second search limit (4–5 a second per
 * token), which is apart from the 10 s budget every call passes through (the adapters' call budget).
 */
export interface Pacer {
  /** Resolves when the next call may go out. */
  wait(): Promise<void>;
}

export function createPacer(perSecond: number, now: () => number = Date.now): Pacer {
  const intervalMs = perSecond > 0 ? 1000 / perSecond : 0;
  let next = 0;
  return {
    async wait() {
      const at = now();
      const slot = Math.max(at, next);
      next = slot + intervalMs;
      if (slot > at) await new Promise((resolve) => setTimeout(resolve, slot - at));
    },
  };
}
