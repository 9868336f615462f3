/** `npm run provision` (also run by `npm install`): makes the Temporal binaries available. */
import { run } from '../worker/commands/provision';

process.exitCode = await run();
