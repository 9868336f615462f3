/**
 * The demo, the short chaos runs and the SIGTERM-mid-burst drain: each waits out real windows,
 * activity timeouts, a server restart or a worker's drain (25–95 s apiece), so they run in
 * `npm run test:full` (CI runs it after `npm test`), keeping the quick check within its budget on
 * 2 cores. Nothing else differs: same setup, same dev server.
 */
export const LONG_TEST_FILES = [
  'test/start-demo.test.ts',
  'test/chaos-worker-kill.test.ts',
  'test/chaos-server-restart.test.ts',
  'test/chaos-crm-faults.test.ts',
  'test/shutdown-sigterm.test.ts',
];
