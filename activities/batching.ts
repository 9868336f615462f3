/**
 * A small coalescing loader: calls made close together (many handoffs' activities on one worker)
 * are gathered for `windowMs`, or until `maxBatchSize` items wait, and served by one batch call
 * whose per-item outcomes are handed back to each caller. This is what keeps a burst of leads far
 * below one CRM call per lead.
 */
export type BatchOutcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

export interface CoalescingLoaderOptions<I, R> {
  maxBatchSize: number;
  windowMs: number;
  /** Serves a batch; must answer one outcome per item, in the same order. */
  runBatch(items: I[]): Promise<Array<BatchOutcome<R>>>;
}

export interface CoalescingLoader<I, R> {
  load(item: I): Promise<R>;
}

interface Waiting<I, R> {
  item: I;
  resolve(value: R): void;
  reject(error: unknown): void;
}

export function createCoalescingLoader<I, R>(options: CoalescingLoaderOptions<I, R>): CoalescingLoader<I, R> {
  let waiting: Array<Waiting<I, R>> = [];
  let timer: NodeJS.Timeout | undefined;

  const serve = async (batch: Array<Waiting<I, R>>): Promise<void> => {
    try {
      const outcomes = await options.runBatch(batch.map((w) => w.item));
      if (outcomes.length !== batch.length) throw new Error(`batch answered ${outcomes.length} outcomes for ${batch.length} items`);
      batch.forEach((w, i) => {
        const outcome = outcomes[i];
        if (outcome?.ok) w.resolve(outcome.value);
        else w.reject(outcome?.error);
      });
    } catch (error) {
      for (const w of batch) w.reject(error);
    }
  };

  const flush = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    while (waiting.length > 0) {
      const batch = waiting.slice(0, options.maxBatchSize);
      waiting = waiting.slice(options.maxBatchSize);
      void serve(batch);
    }
  };

  return {
    load(item) {
      return new Promise<R>((resolve, reject) => {
        waiting.push({ item, resolve, reject });
        if (waiting.length >= options.maxBatchSize) flush();
        else timer ??= setTimeout(flush, options.windowMs);
      });
    },
  };
}
