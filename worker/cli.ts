/**
 * `npx handoff-bridge <command> [options]`: the one entrypoint for operators. The command tree is
 * worker/cli/program.ts; the error boundary is worker/cli/run.ts.
 */
import { runCli } from './cli/run';

process.exitCode = await runCli(process.argv.slice(2));
