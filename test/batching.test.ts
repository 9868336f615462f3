import { describe, expect, it } from 'vitest';
import { createCoalescingLoader, type BatchOutcome } from '../activities/crm';
import { callSpacingMs, createCallBudget, type CallBudget } from '../activities/crm';

/** A budget whose slots the test hands out one at a time. */
function manualBudget() {
  const asked: Array<() => void> = [];
  const budget: CallBudget = {
    run: (request) =>
      new Promise((resolve, reject) => {
        asked.push(() => {
          request().then(resolve, reject);
        });
      }),
  };
  return {
    budget,
    asked,
    grant() {
      const next = asked.shift();
      if (!next) throw new Error('no batch is waiting for a slot');
      next();
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function echoLoader(options: { budget?: CallBudget; maxBatchSize?: number; windowMs?: number }) {
  const batches: string[][] = [];
  const loader = createCoalescingLoader<string, string>({
    maxBatchSize: options.maxBatchSize ?? 100,
    windowMs: options.windowMs ?? 5,
    ...(options.budget ? { budget: options.budget } : {}),
    runBatch: async (items, request) => {
      batches.push(items);
      return request(async () => items.map((item): BatchOutcome<string> => ({ ok: true, value: item.toUpperCase() })));
    },
  });
  return { loader, batches };
}

describe('the coalescing loader gated on a call budget', () => {
  it('lets items that arrive while a batch waits for its slot join that batch', async () => {
    const slots = manualBudget();
    const { loader, batches } = echoLoader({ budget: slots.budget });
    const first = loader.load('a');
    await sleep(30);
    expect(slots.asked).toHaveLength(1);
    expect(batches).toEqual([]);
    const later = ['b', 'c', 'd'].map((item) => loader.load(item));
    await sleep(30);
    // Still one slot asked for: the later items ride with the waiting batch.
    expect(slots.asked).toHaveLength(1);
    slots.grant();
    expect(await Promise.all([first, ...later])).toEqual(['A', 'B', 'C', 'D']);
    expect(batches).toEqual([['a', 'b', 'c', 'd']]);
  });

  it('starts a second batch, with a slot of its own, once the waiting one is full', async () => {
    const slots = manualBudget();
    const { loader, batches } = echoLoader({ budget: slots.budget, maxBatchSize: 3 });
    const loads = ['a', 'b', 'c', 'd', 'e'].map((item) => loader.load(item));
    await sleep(30);
    expect(slots.asked).toHaveLength(2);
    slots.grant();
    slots.grant();
    expect(await Promise.all(loads)).toEqual(['A', 'B', 'C', 'D', 'E']);
    expect(batches).toEqual([
      ['a', 'b', 'c'],
      ['d', 'e'],
    ]);
  });

  it('sends a lone call after the short window when the budget is idle', async () => {
    const { loader, batches } = echoLoader({ budget: createCallBudget({ calls: 10, perMs: 1_000 }), windowMs: 5 });
    expect(await loader.load('solo')).toBe('SOLO');
    expect(batches).toEqual([['solo']]);
  });

  it('pays for a batch request with the slot it waited for, and for any further one with a new slot', async () => {
    const slots = manualBudget();
    const loader = createCoalescingLoader<string, number>({
      maxBatchSize: 10,
      windowMs: 1,
      budget: slots.budget,
      runBatch: async (items, request) => {
        const first = await request(async () => 1);
        const second = await request(async () => 2);
        return items.map(() => ({ ok: true, value: first + second }));
      },
    });
    const loaded = loader.load('x');
    await sleep(20);
    slots.grant();
    await sleep(20);
    // The batch's second request waits for a slot of its own.
    expect(slots.asked).toHaveLength(1);
    slots.grant();
    expect(await loaded).toBe(3);
  });

  it('lingers while handoffs run side by side, and never for one handoff\'s calls one after another or two meeting by chance', async () => {
    const batches: string[][] = [];
    const loader = createCoalescingLoader<string, string>({
      maxBatchSize: 100,
      windowMs: 5,
      lingerMs: 150,
      runBatch: async (items) => {
        batches.push(items);
        return items.map((item) => ({ ok: true, value: item }));
      },
    });
    // One handoff's calls one after another: each goes after the short window, alone.
    await loader.load('a');
    const b = loader.load('b');
    await sleep(40);
    await Promise.all([b, loader.load('c')]);
    expect(batches).toEqual([['a'], ['b'], ['c']]);

    // Two at once happen between leads arriving one at a time (one's last write, the next one's read):
    // no wave yet, so the next call still goes after the short window, alone.
    await Promise.all([loader.load('m'), loader.load('n')]);
    const o = loader.load('o');
    await sleep(40);
    await Promise.all([o, loader.load('r')]);
    expect(batches.slice(3)).toEqual([['m', 'n'], ['o'], ['r']]);

    // Three at once: the loader is busy, so the next batch waits for the stragglers of the wave.
    await Promise.all([loader.load('x'), loader.load('y'), loader.load('z')]);
    const p = loader.load('p');
    await sleep(40);
    await Promise.all([p, loader.load('q')]);
    expect(batches.slice(6)).toEqual([
      ['x', 'y', 'z'],
      ['p', 'q'],
    ]);
  });

  it('hands each caller its own outcome: one item failing leaves the others served', async () => {
    const loader = createCoalescingLoader<number, number>({
      maxBatchSize: 10,
      windowMs: 5,
      runBatch: async (items) => items.map((n) => (n === 2 ? { ok: false, error: new Error(`item ${n} refused`) } : { ok: true, value: n * 10 })),
    });
    const outcomes = await Promise.allSettled([1, 2, 3].map((n) => loader.load(n)));
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : (o.reason as Error).message))).toEqual([10, 'item 2 refused', 30]);
  });
});

describe('the call budget', () => {
  it('never starts more than N requests in any window, however many ask at once, even across a stalled event loop', async () => {
    const limit = { calls: 5, perMs: 200 };
    const budget = createCallBudget(limit);
    const starts: number[] = [];
    const requests = Array.from({ length: 24 }, () =>
      budget.run(async () => {
        starts.push(Date.now());
      }),
    );
    // Block the event loop while requests are queued: late timers must not bunch the queue up.
    setTimeout(() => {
      const until = Date.now() + 150;
      while (Date.now() < until);
    }, 100);
    await Promise.all(requests);
    let busiest = 0;
    for (const start of starts) busiest = Math.max(busiest, starts.filter((t) => t >= start && t < start + limit.perMs).length);
    expect(busiest).toBeLessThanOrEqual(limit.calls);
    expect(callSpacingMs(limit)).toBeGreaterThanOrEqual(limit.perMs / limit.calls);
  });

  it('refuses a budget of no calls', () => {
    expect(() => createCallBudget({ calls: 0, perMs: 10_000 })).toThrow(RangeError);
  });
});
