/**
 * The demo, the short chaos runs, the SIGTERM-mid-burst drain, each production mode as a process
 * of its own, the README's "Try it end to end" as written and `npm run bench` at small sizes: each
 * waits out real windows, activity timeouts, a server restart, child processes' start-up or a
 * worker's drain (25–95 s apiece), so they run in `npm run test:full` (CI runs it after `npm test`),
 * keeping the quick check within its budget on 2 cores. Nothing else differs: same setup, same dev server.
 */
export const LONG_TEST_FILES = [
  'test/start-demo.test.ts',
  'test/chaos-worker-kill.test.ts',
  'test/chaos-server-restart.test.ts',
  'test/chaos-crm-faults.test.ts',
  'test/shutdown-sigterm.test.ts',
  'test/ops-modes-process.test.ts',
  'test/try-end-to-end.test.ts',
  'test/bench-smoke.test.ts',
];
