/**
 * `npm start`: `handoff-bridge start` (worker/commands/start.ts) as a process of its own, which ends
 * with that command's exit code once everything it started has stopped. Through the CLI's error
 * boundary, so a failure is one line too.
 */
import { runCli } from './cli/run';

process.exit(await runCli(['start', ...process.argv.slice(2)]));
