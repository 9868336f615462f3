/** Each test process installs the Temporal Runtime once, quiet unless something goes wrong. */
import { DefaultLogger, Runtime } from '@temporalio/worker';

Runtime.install({ logger: new DefaultLogger('WARN') });
