/**
 * `npm start`: `handoff-bridge start` (worker/commands/start.ts) as a process of its own, which ends
 * with that command's exit code once everything it started has stopped.
 */
import { run } from './commands/start';

run().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
