/**
 * `npx handoff-bridge <command> [options]`: the one entrypoint for operators. The command tree is
 * worker/cli/program.ts; the error boundary is worker/cli/run.ts.
 */
import { runCli } from './cli/run';

// `handoff-bridge --help | head`: the reader left; that is not an error worth a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const code = await runCli(process.argv.slice(2));
// A command that failed half-way may leave handles open (the Temporal runtime, a listening
// server): the error is reported, so end now rather than hang. (stderr is synchronous on pipes.)
if (code !== 0) process.exit(code);
