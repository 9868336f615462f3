/** The per-worker routing batcher: a lone question leaves at once, later ones share a batch, hot ones first and alone. */
import { expect, it, vi } from 'vitest';
import { createRoutingBatcher } from '../activities/routing';
import { updateBytesBound, type RotationPolicy } from '../mappings/routing';
import type { RepChoice, RoutingRequest } from '../api/routing';

const policy: RotationPolicy = { policy: 'round_robin', reps: [] };
const request = (requestId: string, hot = false): RoutingRequest => ({ requestId, lead: {}, hot, exclude: [], now: '2026-12-04T10:00:00Z' });

function harness(maxBatchSize = 3, maxUpdateBytes = 1024 * 1024, maxHotInFlight = 1, gather: { hotGatherMs?: number; hotGatherMaxMs?: number } = {}) {
  const sent: Array<{ ids: string[]; answer(): void; fail(error: Error): void }> = [];
  const batcher = createRoutingBatcher({
    maxBatchSize,
    maxInFlight: 2,
    maxHotInFlight,
    maxUpdateBytes,
    ...gather,
    send: (_portal, _policy, requests) =>
      new Promise<RepChoice[]>((resolve, reject) => {
        sent.push({
          ids: requests.map((r) => r.requestId),
          answer: () => resolve(requests.map((r, i) => ({ rep: { id: r.requestId, name: r.requestId }, turn: i + 1 }))),
          fail: reject,
        });
      }),
  });
  return { batcher, sent };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

it('sends a lone question at once, gathers the rest while two batches are out, and sends hot questions first', async () => {
  const { batcher, sent } = harness();
  const answers = ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => batcher.ask('p1', policy, request(id)));
  await tick();
  // a and b leave alone (nothing out yet, then one out); c–f wait for a slot.
  expect(sent.map((s) => s.ids)).toEqual([['a'], ['b']]);

  const hot = batcher.ask('p1', policy, request('hot', true));
  await tick();
  // A hot question may use one update beyond the two.
  expect(sent.map((s) => s.ids)).toEqual([['a'], ['b'], ['hot']]);

  const later = batcher.ask('p1', policy, request('g', true));
  await tick();
  expect(sent).toHaveLength(3);
  sent[0]?.answer();
  await tick();
  // A slot is free: the waiting hot question leaves first, alone in the update beyond the limit.
  expect(sent[3]?.ids).toEqual(['g']);
  expect((await answers[0])?.rep?.id).toBe('a');
  for (const i of [1, 2, 3]) {
    sent[i]?.answer();
    await tick();
  }
  // Then the normal questions in the order asked, up to three a batch.
  expect(sent.slice(4).map((s) => s.ids)).toEqual([['c', 'd', 'e'], ['f']]);
  for (const s of sent.slice(4)) s.answer();
  expect((await Promise.all([...answers, hot, later])).map((c) => c.rep?.id)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'hot', 'g']);
});

it('lets hot questions asked while a hot batch is out leave at once, up to the hot updates allowed', async () => {
  const { batcher, sent } = harness(3, 1024 * 1024, 2);
  const normal = ['a', 'b', 'c'].map((id) => batcher.ask('p1', policy, request(id)));
  await tick();
  expect(sent.map((s) => s.ids)).toEqual([['a'], ['b']]);
  const first = batcher.ask('p1', policy, request('hot1', true));
  await tick();
  const second = batcher.ask('p1', policy, request('hot2', true));
  await tick();
  // Two updates beyond the two normal ones, each hot question in its own as it came.
  expect(sent.map((s) => s.ids)).toEqual([['a'], ['b'], ['hot1'], ['hot2']]);
  const third = batcher.ask('p1', policy, request('hot3', true));
  await tick();
  // No third: it waits for a slot, and the normal question waits for a normal one.
  expect(sent).toHaveLength(4);
  sent[2]?.answer();
  await tick();
  expect(sent[4]?.ids).toEqual(['hot3']);
  for (const s of [sent[0], sent[1], sent[3], sent[4]]) s?.answer();
  await tick();
  expect(sent[5]?.ids).toEqual(['c']);
  sent[5]?.answer();
  expect((await Promise.all([...normal, first, second, third])).map((c) => c.rep?.id)).toEqual(['a', 'b', 'c', 'hot1', 'hot2', 'hot3']);
});

it('fails every question of a batch whose update fails (each activity retries under its own request id)', async () => {
  const { batcher, sent } = harness();
  const first = batcher.ask('p1', policy, request('a'));
  await tick();
  sent[0]?.fail(new Error('RESOURCE_EXHAUSTED'));
  await expect(first).rejects.toThrow('RESOURCE_EXHAUSTED');
});

it('ends a batch before the update could add more than a run takes in one update', async () => {
  // Requests of 100 bytes each (the id padded): the bound of n of them, counted independently.
  const sized = (id: string): RoutingRequest => {
    const base = request(id);
    return { ...base, requestId: id.padEnd(id.length + 100 - JSON.stringify(base).length, '.') };
  };
  const input = (n: number) => JSON.stringify({ policy, requests: [] }).length + n * 101;
  const limit = updateBytesBound(input(4), 4); // four fit, five do not
  const { batcher, sent } = harness(50, limit);
  const answers = Array.from({ length: 12 }, (_, i) => batcher.ask('p1', policy, sized(`q${i}`)));
  await tick();
  sent[0]?.answer();
  await tick();
  sent[1]?.answer();
  await tick();
  // Two lone questions out at once, then batches of four (the fifth would pass the limit).
  expect(sent.map((s) => s.ids.length)).toEqual([1, 1, 4, 4]);
  for (const s of sent.slice(2)) s.answer();
  await tick();
  for (const s of sent.slice(4)) s.answer();
  expect(sent.map((s) => s.ids.length)).toEqual([1, 1, 4, 4, 2]);
  expect(await Promise.all(answers)).toHaveLength(12);
});

it('sends hot questions in batches of their own, and holds normal batches while a hot one is out', async () => {
  // No hot updates beyond the limit: hot and normal questions wait for the same two slots.
  const { batcher, sent } = harness(3, 1024 * 1024, 0);
  const normal = ['n1', 'n2'].map((id) => batcher.ask('p1', policy, request(id)));
  await tick();
  const waiting = [batcher.ask('p1', policy, request('h1', true)), batcher.ask('p1', policy, request('n3'))];
  await tick();
  expect(sent.map((s) => s.ids)).toEqual([['n1'], ['n2']]);
  sent[0]?.answer();
  await tick();
  // A slot frees with both kinds waiting: the hot question takes it alone.
  expect(sent.map((s) => s.ids)).toEqual([['n1'], ['n2'], ['h1']]);
  sent[1]?.answer();
  await tick();
  // A slot is free again, but the hot batch is out: n3 waits for it.
  expect(sent).toHaveLength(3);
  sent[2]?.answer();
  await tick();
  expect(sent[3]?.ids).toEqual(['n3']);
  sent[3]?.answer();
  expect((await Promise.all([...normal, ...waiting])).map((c) => c.rep?.id)).toEqual(['n1', 'n2', 'h1', 'n3']);
});

it('never lets a stream of hot questions starve the normal ones', async () => {
  const { batcher, sent } = harness(3, 1024 * 1024, 2);
  const n1 = batcher.ask('p1', policy, request('n1'));
  await tick();
  const h0 = batcher.ask('p1', policy, request('h0', true));
  await tick();
  sent[0]?.answer();
  await tick();
  const n2 = batcher.ask('p1', policy, request('n2'));
  await tick();
  // A normal slot is free, but a hot batch is out: n2 waits.
  expect(sent.map((s) => s.ids)).toEqual([['n1'], ['h0']]);
  const h1 = batcher.ask('p1', policy, request('h1', true));
  await tick();
  expect(sent.map((s) => s.ids)).toEqual([['n1'], ['h0'], ['h1']]);
  sent[1]?.answer();
  await tick();
  // h0 answered: n2 has waited its one hot round trip and leaves, though h1 is still out.
  expect(sent[3]?.ids).toEqual(['n2']);
  for (const s of sent.slice(2)) s.answer();
  expect((await Promise.all([n1, n2, h0, h1])).map((c) => c.rep?.id)).toEqual(['n1', 'n2', 'h0', 'h1']);
});

it('gathers hot questions until none has come for hotGatherMs, for hotGatherMaxMs at most, holding normal ones meanwhile', async () => {
  vi.useFakeTimers();
  try {
    const { batcher, sent } = harness(10, 1024 * 1024, 1, { hotGatherMs: 20, hotGatherMaxMs: 100 });
    const ids = () => sent.map((s) => s.ids);
    const asked: Array<Promise<RepChoice>> = [];
    const ask = (id: string, hot = true) => asked.push(batcher.ask('p1', policy, request(id, hot)));

    // Three demo requests 10 ms apart, and a normal question among them: nothing leaves while they come.
    ask('h1');
    await vi.advanceTimersByTimeAsync(10);
    ask('h2');
    ask('n1', false);
    await vi.advanceTimersByTimeAsync(10);
    ask('h3');
    await vi.advanceTimersByTimeAsync(19);
    expect(ids()).toEqual([]);
    // 20 ms after the last of them they leave together; the normal question once they are answered.
    await vi.advanceTimersByTimeAsync(1);
    expect(ids()).toEqual([['h1', 'h2', 'h3']]);
    sent[0]?.answer();
    await vi.advanceTimersByTimeAsync(0);
    expect(ids()).toEqual([['h1', 'h2', 'h3'], ['n1']]);

    // A steady stream, one every 15 ms: its batch leaves 100 ms after its first question.
    for (let i = 4; i <= 10; i += 1) {
      ask(`h${i}`);
      await vi.advanceTimersByTimeAsync(15);
    }
    expect(ids().slice(2)).toEqual([['h4', 'h5', 'h6', 'h7', 'h8', 'h9', 'h10']]);

    // A lone one waits its 20 ms, no more.
    for (const s of sent) s.answer();
    ask('h11');
    await vi.advanceTimersByTimeAsync(19);
    expect(ids()).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1);
    expect(ids()[3]).toEqual(['h11']);
    sent[3]?.answer();
    expect((await Promise.all(asked)).map((c) => c.rep?.id)).toEqual(['h1', 'h2', 'n1', 'h3', ...[4, 5, 6, 7, 8, 9, 10, 11].map((i) => `h${i}`)]);
  } finally {
    vi.useRealTimers();
  }
});
