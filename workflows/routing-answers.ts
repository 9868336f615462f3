/**
 * The routing queue's answered requests: a retried request id gets its first answer back, and the
 * newest answers are carried into the next run. Each answer's JSON size is measured once, when it is
 * recorded: the run's budget asks what the carry weighs in every update's validator, and serializing
 * up to ANSWERS_CARRIED answers (≈ 130 KB) each time was most of the queue's own work under a burst.
 */
import type { AnsweredRequest } from '../api/routing';
import { jsonBytes } from '../mappings/routing';

/**
 * Answers carried into the next run (≈ 130 bytes each, so ≈ 130 KB), and at most a sixth of the
 * run's budget (the carry is written twice: into this run's continue-as-new and the next run's start):
 * a request retried just after a roll-over still gets its answer. assignLead heartbeats, so a retry
 * comes only after a lost attempt.
 */
export const ANSWERS_CARRIED = 1_000;

export interface CarriedAnswers {
  answers: AnsweredRequest[];
  /** Their bytes as the JSON array `answers` is written: each answer's size, and the commas between. */
  bytes: number;
}

export function createAnswerLog(carried: AnsweredRequest[] = []) {
  const answered = new Map<string, { entry: AnsweredRequest; bytes: number }>();
  const add = (entry: AnsweredRequest): void => void answered.set(entry.requestId, { entry, bytes: jsonBytes(entry) });
  for (const entry of carried) add(entry);

  return {
    get: (requestId: string): AnsweredRequest | undefined => answered.get(requestId)?.entry,
    add,
    all: (): AnsweredRequest[] => [...answered.values()].map((a) => a.entry),
    /** The newest answers, as many as ANSWERS_CARRIED and `maxBytes` allow. */
    carried(maxBytes: number): CarriedAnswers {
      const newestFirst = [...answered.values()].reverse();
      const answers: AnsweredRequest[] = [];
      let bytes = 0;
      for (const { entry, bytes: size } of newestFirst) {
        if (answers.length >= ANSWERS_CARRIED || bytes + size > maxBytes) break;
        answers.push(entry);
        bytes += size;
      }
      return { answers: answers.reverse(), bytes: bytes + Math.max(0, answers.length - 1) };
    },
  };
}
