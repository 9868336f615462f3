/**
 * The first `count` items in an order, sorted, without sorting them all: a bounded max-heap, so a
 * search page of 200 out of 100,000 matches costs about one comparison per match instead of a sort of
 * every match (each search page re-sorted the whole portal, the sandbox's own cost in benchmarks).
 * The order must be total (search's ties fall back to the record id), so the result is the sort's.
 */
export function firstInOrder<T>(items: readonly T[], order: (a: T, b: T) => number, count: number): T[] {
  if (count <= 0) return [];
  if (items.length <= count) return [...items].sort(order);
  // heap[0] is the last (greatest) of the best `count` so far.
  const heap: T[] = [];
  const greater = (i: number, j: number) => order(heap[i] as T, heap[j] as T) > 0;
  const swap = (i: number, j: number) => {
    const t = heap[i] as T;
    heap[i] = heap[j] as T;
    heap[j] = t;
  };
  for (const item of items) {
    if (heap.length < count) {
      heap.push(item);
      for (let i = heap.length - 1; i > 0 && greater(i, (i - 1) >> 1); i = (i - 1) >> 1) swap(i, (i - 1) >> 1);
    } else if (order(item, heap[0] as T) < 0) {
      heap[0] = item;
      for (let i = 0; ; ) {
        const [l, r] = [2 * i + 1, 2 * i + 2];
        let top = i;
        if (l < heap.length && greater(l, top)) top = l;
        if (r < heap.length && greater(r, top)) top = r;
        if (top === i) break;
        swap(i, top);
        i = top;
      }
    }
  }
  return heap.sort(order);
}
