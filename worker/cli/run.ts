/**
 * Runs the CLI for an argument list and returns its exit status: 0 done (help and --version
 * included); 2 the command line is wrong (unknown option or command, missing argument, bad value);
 * 1 the work failed, said in one line by the error boundary (errors.ts); or the status a command's
 * logic returned. Never a stack trace.
 */
import { CommanderError } from '@commander-js/extra-typings';
import { describeError, ExitCode } from './errors';
import { buildProgram, type CliOutput, type Program } from './program';

const HELP_CODES = new Set(['commander.helpDisplayed', 'commander.version']);

export async function runCli(argv: readonly string[], options: { program?: Program; output?: CliOutput } = {}): Promise<number> {
  const program = options.program ?? buildProgram(options.output);
  const writeErr = options.output?.writeErr ?? ((text: string) => void process.stderr.write(text));
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof ExitCode) return err.code;
    if (err instanceof CommanderError) return HELP_CODES.has(err.code) || err.exitCode === 0 ? 0 : 2;
    writeErr(`handoff-bridge: ${describeError(err)}\n`);
    return 1;
  }
}
