/** What every command file uses to declare itself on the program: examples in its help, usage errors. */
import type { CommandUnknownOpts } from '@commander-js/extra-typings';

/** Adds the "Example:" section every command's --help ends with. */
export function withExamples<C extends CommandUnknownOpts>(command: C, ...examples: string[]): C {
  command.addHelpText('after', `\nExample${examples.length > 1 ? 's' : ''}:\n${examples.map((e) => `  $ handoff-bridge ${e}`).join('\n')}`);
  return command;
}

/** A parse-level problem found by a command itself (options that do not fit together): exit 2, one line. */
export function usageError(command: CommandUnknownOpts, message: string): never {
  command.error(`error: ${message}`, { exitCode: 2, code: 'handoff.usage' });
}
