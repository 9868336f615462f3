import { defineConfig } from 'vitest/config';
import quick from './vitest.config';
import { LONG_TEST_FILES } from './test/long-files';

/** `npm run test:full`: the demo and the short chaos runs (test/long-files.ts), with `npm test`'s setup. */
export default defineConfig({ ...quick, test: { ...quick.test, include: LONG_TEST_FILES, exclude: [] } });
