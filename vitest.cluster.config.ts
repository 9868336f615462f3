import { defineConfig } from 'vitest/config';

/**
 * `npm run test:cluster`: the tests that need the production-shape cluster (worker/cluster/), which
 * each start their own. Apart from `npm test`: building the server takes minutes on a fresh machine.
 */
export default defineConfig({
  test: {
    include: ['test/cluster/**/*.test.ts'],
    pool: 'forks',
    setupFiles: ['test/setup-runtime.ts'],
    testTimeout: 600_000,
    // The first run builds the Temporal server (minutes; longer on a busy machine).
    hookTimeout: 1_800_000,
    reporters: ['default'],
  },
});
