/**
 * The routing queue's history budget per run, counted in bytes the same way by the queue (which
 * refuses an update that could pass it) and by the activities' batcher (which never sends an update
 * bigger than the budget allows): a run's history stays under `runBytes` by construction, not by the
 * load of the moment. Pure: the workflow bundle and the activities both use it.
 */

export interface HistoryBudget {
  /** The most a run's history may hold (the server's history size, bytes). */
  runBytes: number;
  /** The most one update may add to a run (its events and what it adds to the carried state). */
  updateBytes: number;
}

/**
 * Under 1 MB per run with room to spare: the run rolls over once it could no longer take the largest
 * update, so runs end between `runBytes - updateBytes` and `runBytes`.
 */
export const DEFAULT_HISTORY_BUDGET: HistoryBudget = { runBytes: 896 * 1024, updateBytes: 192 * 1024 };

/** The most one answer (a chosen rep or why none) may take: longer reasons and skip lists are cut. */
export const ANSWER_BYTES_MAX = 512;
/** An update's two events beyond its payloads: ids, metadata, the codec's envelope. */
export const UPDATE_EVENT_BYTES = 1024;
/** The run's last task (its completed event, the continue-as-new event) and signals arriving meanwhile. */
export const RUN_RESERVE_BYTES = 16 * 1024;

/**
 * The UTF-8 length of a string (names may be non-ASCII). A surrogate pair (an emoji) counts 5 bytes
 * where UTF-8 takes 4: the budget errs on the safe side, and a workflow's count cannot change.
 */
export function utf8Bytes(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code >= 0xd800 && code < 0xdc00 ? 2 : 3;
  }
  return bytes;
}

/** The bytes a value takes as a JSON payload. */
export function jsonBytes(value: unknown): number {
  return utf8Bytes(JSON.stringify(value) ?? '');
}

/**
 * The most an update of `requests` requests whose input is `inputBytes` can add to a run: its
 * accepted event (the input), its completed event (one answer each), and the carried state it can
 * grow (each request remembered as answered, counted against a rep's awaiting leads, or waitlisted
 * with its input).
 */
export function updateBytesBound(inputBytes: number, requests: number): number {
  return 2 * inputBytes + 3 * requests * ANSWER_BYTES_MAX + UPDATE_EVENT_BYTES;
}
