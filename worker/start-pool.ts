/**
 * How the ingress starts a webhook batch's handoffs: a few at a time rather than one after another.
 * One after another, a batch of 100 took 100 start round trips; on a busy server (≈ 0.3 s each) that
 * outlived the HTTP server's 30 s idle limit and HubSpot's webhook timeout, and the socket was closed
 * before the answer. The benchmark's floor starts its bare workflows the same way.
 */
export const STARTS_IN_FLIGHT = 16;

/** Runs `fn` over `items`, at most `limit` at a time; rejects with the first failure once all settled. */
export async function inPool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  const results = await Promise.allSettled(
    Array.from({ length: Math.min(limit, queue.length) }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await fn(item);
    }),
  );
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
