import { configDefaults, defineConfig } from 'vitest/config';
import { LONG_TEST_FILES } from './test/long-files';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // `npm run test:cluster` runs these (vitest.cluster.config.ts): they build and start a cluster.
    // `npm run test:full` runs the demo and chaos files (test/long-files.ts).
    exclude: [...configDefaults.exclude, 'test/cluster/**', ...LONG_TEST_FILES],
    // The Temporal native bridge crashes under worker threads (sdk-typescript#876).
    pool: 'forks',
    // Most files wait on Temporal timers, child processes and sockets rather than the CPU, and each
    // fork pays seconds to load the SDK and the CRM clients: three forks on two cores, each reused
    // across files (a file may run beside two others, so none may depend on being quick).
    maxWorkers: 3,
    isolate: false,
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/setup-runtime.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
