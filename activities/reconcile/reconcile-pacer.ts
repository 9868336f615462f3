/**
 * Spaces calls to a CRM so a long reconciliation stays inside the rate budget it shares with live
 * handoffs (HubSpot search: 4–5 a second per token; everything else: 190 per 10 s).
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
