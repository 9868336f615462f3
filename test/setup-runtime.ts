/**
 * Each test process installs the Temporal Runtime once, quiet unless something goes wrong. Test files
 * share their process (vitest `isolate: false`), so the install is remembered on the process itself.
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';

const INSTALLED = Symbol.for('handoff-bridge.test-runtime-installed');
const processGlobals = globalThis as typeof globalThis & { [INSTALLED]?: true };
if (!processGlobals[INSTALLED]) {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  processGlobals[INSTALLED] = true;
}
