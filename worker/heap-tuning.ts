/**
 * Memory settings for a worker holding thousands of parked handoffs. Left to its defaults, V8 sizes
 * each isolate's heap for throughput: the young generation grows to 64 MB per semi-space and the old
 * generation to about four times its live size before a full collection. The worker has two busy
 * isolates (the main thread and the SDK's workflow thread, each with tens of MB live) and bursts of
 * short-lived objects, so with the defaults 2,000 parked handoffs held 846 MB, almost all of it
 * garbage not yet collected; and glibc gives each of Core's threads its own malloc arena.
 *
 * Bounded here, measured side by side by `npm run bench` (docs/benchmarks.md has the figures):
 * - semi-spaces of SEMI_SPACE_MB: scavenges are more frequent and each is cheaper;
 * - the old generation grows to (1 + HEAP_GROWING_PERCENT/100) × live before a full collection;
 * - MALLOC_ARENA_MAX=2: freed native memory is reused instead of parked in per-thread arenas;
 * - MALLOC_MMAP_THRESHOLD_=131072: blocks of 128 KB and more (activation and history buffers) are
 *   mapped on their own and unmapped when freed, instead of fragmenting the heap.
 *
 * The workflow thread is created by Worker.create, so tuneWorkflowHeaps() (called by
 * createBridgeWorker) reaches it; the main isolate's young generation and glibc are configured when
 * the process starts, from WORKER_PROCESS_ENV (the Dockerfile sets it; the benchmark's worker
 * process is started with it).
 */
import { setFlagsFromString } from 'node:v8';

/** MB per semi-space of the young generation (V8's default grows to 64 on this machine). */
export const SEMI_SPACE_MB = 2;

/** The old generation may grow by this share of its live size before a full collection. */
export const HEAP_GROWING_PERCENT = 25;

/** What V8 and glibc read before any code runs: set in the worker process's environment. */
export const WORKER_PROCESS_ENV = {
  NODE_OPTIONS: `--max-semi-space-size=${SEMI_SPACE_MB}`,
  MALLOC_ARENA_MAX: '2',
  MALLOC_MMAP_THRESHOLD_: '131072',
} as const;

/**
 * Applies the heap limits to isolates created from now on (the workflow thread) and the growing
 * factor to every isolate. Setting the same flags again changes nothing; call before Worker.create.
 */
export function tuneWorkflowHeaps(): void {
  setFlagsFromString(`--max-semi-space-size=${SEMI_SPACE_MB}`);
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
