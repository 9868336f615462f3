/**
 * This process's worker threads, as Linux lists them: Node names each worker thread "WorkerThread"
 * in /proc/self/task. Other test files in the process may start or end threads meanwhile, so checks
 * follow thread ids, never counts.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** The ids of this process's worker threads. */
export function workerThreads(): Set<string> {
  const ids = readdirSync('/proc/self/task').filter((id) => {
    try {
      return readFileSync(`/proc/self/task/${id}/comm`, 'utf8').trim() === 'WorkerThread';
    } catch {
      return false; // ended while listed
    }
  });
  return new Set(ids);
}

/** The ids in `after` that `before` did not hold. */
export const added = (before: Set<string>, after: Set<string>): string[] => [...after].filter((id) => !before.has(id));
