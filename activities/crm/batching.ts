/**
 * A coalescing loader: calls made close together (many handoffs' activities on one worker) are
 * gathered and served by one batch request whose per-item outcomes are handed back to each caller.
 * A batch becomes due `windowMs` after its first item (or at once when full), then waits for a slot
 * in the CRM's call budget; items that arrive while it waits join it, up to `maxBatchSize`. So under
 * load one request serves many leads, and with no load a lone call still goes out after the window.
 *
 * While handoffs run side by side (the last batch carried at least BUSY_BATCH_ITEMS items and left
 * within the last `busyForMs`) a batch lingers `lingerMs` instead: a burst's handoffs reach each step
 * over a second or two, not in one window, and a longer wait lets one request serve a whole wave of
 * them. One handoff alone makes batches of one, so its calls never linger.
 */
import { UNBUDGETED, type CallBudget } from './call-budget';
import { urgentNow } from './urgency';

/**
 * The adapters' linger while busy. A burst's handoffs reach each step in waves: the orchestration
 * worker admits new handoffs only while those in mid-step fit its cache (worker/workflow-admission.ts),
 * so a wave is at most that many leads, and a handoff's three CRM steps before its alert each wait the
 * linger. At a second a step, 80 handoffs in mid-step finished about 20 a second on a 2-core worker,
 * below what the worker could run; a quarter of a second keeps batches of tens (0.2–0.3 calls per
 * lead in a 1,000-lead burst) and lets the CPU set the pace. A lone handoff never waits it.
 */
export const BATCH_LINGER_MS = 250;

/**
 * The fewest items in a batch that mark its loader busy. Two calls meet by chance between leads that
 * arrive one at a time (one lead's stamps and lifecycle read after its alert, the next lead's contact
 * read): with two, the lead after them lingered a whole second at its first read, the speed-to-alert
 * p99 (650 ms against a p50 of 301 ms). A burst's batches carry dozens.
 */
export const BUSY_BATCH_ITEMS = 3;

export type BatchOutcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

/**
 * A batch's writes to one record merged in call order, as the same writes sent one after another
 * would leave it; items without a key are left out.
 */
export function mergeWrites<I, V extends object>(items: I[], keyOf: (item: I) => string, valuesOf: (item: I) => V): Map<string, V> {
  const merged = new Map<string, V>();
  for (const item of items) {
    const key = keyOf(item);
    if (key) merged.set(key, { ...merged.get(key), ...valuesOf(item) });
  }
  return merged;
}

/**
 * Sends one HTTP request for a batch. The first request a batch makes uses the budget slot the batch
 * waited for; any further one (paging, a fallback) waits for a slot of its own.
 */
export type BatchRequest = <T>(request: () => Promise<T>) => Promise<T>;

export interface CoalescingLoaderOptions<I, R> {
  maxBatchSize: number;
  windowMs: number;
  /** How long a batch waits for company while handoffs run side by side; `windowMs` when unset. */
  lingerMs?: number;
  /** How long after a batch of BUSY_BATCH_ITEMS or more the loader counts as busy (default: twice the linger). */
  busyForMs?: number;
  /** The CRM's call budget; unlimited when unset. */
  budget?: CallBudget;
  /** Serves a batch through `request`; must answer one outcome per item, in the same order. */
  runBatch(items: I[], request: BatchRequest): Promise<Array<BatchOutcome<R>>>;
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
  const budget = options.budget ?? UNBUDGETED;
  const waiting: Array<Waiting<I, R>> = [];
  /** Batches that asked the budget for a slot and have not been sent yet. */
  let asking = 0;
  let timer: NodeJS.Timeout | undefined;
  /** When the last batch of BUSY_BATCH_ITEMS or more left, if one did. */
  let lastSharedAt = Number.NEGATIVE_INFINITY;
  const waitMs = (): number =>
    options.lingerMs !== undefined && Date.now() - lastSharedAt < (options.busyForMs ?? 2 * options.lingerMs) ? options.lingerMs : options.windowMs;

  const serve = async (batch: Array<Waiting<I, R>>): Promise<void> => {
    let slotUsed = false;
    const request: BatchRequest = (send) => {
      if (slotUsed) return budget.run(send);
      slotUsed = true;
      return send();
    };
    try {
      const outcomes = await options.runBatch(
        batch.map((w) => w.item),
        request,
      );
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

  /** Runs when the budget grants a slot: the batch is whatever waits at the front by then. */
  const depart = async (): Promise<void> => {
    asking -= 1;
    const batch = waiting.splice(0, options.maxBatchSize);
    if (batch.length >= BUSY_BATCH_ITEMS) lastSharedAt = Date.now();
    if (batch.length > 0) await serve(batch);
  };

  /** Every waiting item is now covered by a batch asking for a slot. */
  const due = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    while (asking * options.maxBatchSize < waiting.length) {
      asking += 1;
      void budget.run(depart);
    }
  };

  return {
    load(item) {
      return new Promise<R>((resolve, reject) => {
        // A priority lead's call goes to the front and lingers for no one: the next slot serves it.
        if (urgentNow()) {
          waiting.unshift({ item, resolve, reject });
          due();
          return;
        }
        waiting.push({ item, resolve, reject });
        const uncovered = waiting.length - asking * options.maxBatchSize;
        if (uncovered <= 0) return;
        if (uncovered >= options.maxBatchSize) due();
        else timer ??= setTimeout(due, waitMs());
      });
    },
  };
}
