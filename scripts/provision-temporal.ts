/** `npm run provision` (also run by `npm install`): makes the Temporal binaries available. */
import { runCli } from '../worker/cli/run';

process.exitCode = await runCli(['provision']);
