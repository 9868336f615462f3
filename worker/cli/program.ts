/**
 * The `handoff-bridge` command tree. Each command lives in worker/commands/<name>.ts and exports
 * `register(program)`, which declares its arguments and typed options and hands them to the
 * command's logic. Adding a command: write that file and add its `register` to COMMANDS below.
 */
import { readFileSync } from 'node:fs';
import { Command, type CommandUnknownOpts } from '@commander-js/extra-typings';
import { z } from 'zod';
import { register as cluster } from '../commands/cluster';
import { register as completion } from './completion';
import { usageError, withExamples } from './declare';
import { register as ingress } from '../commands/ingress';
import { register as lead } from '../commands/lead';
import { register as leads } from '../commands/leads';
import { register as provision } from '../commands/provision';
import { register as reconcile } from '../commands/reconcile';
import { register as replayCheck } from '../commands/replay-check';
import { register as sandbox } from '../commands/sandbox';
import { register as serve } from '../commands/serve';
import { register as setupTemporal } from '../commands/setup-temporal';
import { register as sla } from '../commands/sla';
import { register as start } from '../commands/start';
import { register as worker } from '../commands/worker';

export type Program = Command;

const COMMANDS: ReadonlyArray<(program: Program) => void> = [
  start,
  serve,
  worker,
  ingress,
  sandbox,
  lead,
  leads,
  reconcile,
  sla,
  setupTemporal,
  cluster,
  replayCheck,
  provision,
  completion,
];

/** Where commander writes help, version and parse errors (tests capture them). */
export interface CliOutput {
  writeOut: (text: string) => void;
  writeErr: (text: string) => void;
}

function packageVersion(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return z.object({ version: z.string() }).parse(JSON.parse(text)).version;
}

/**
 * A command that only groups subcommands (`lead`, `leads`, `sla`): called alone or with an unknown
 * subcommand it says so in one line, instead of commander's multi-line help on stderr.
 */
function refuseBareGroups(command: CommandUnknownOpts): void {
  for (const sub of command.commands) refuseBareGroups(sub);
  if (command.parent === null || command.commands.length === 0) return;
  const names = command.commands.map((c) => c.name()).join(', ');
  command.allowExcessArguments().action(function (this: CommandUnknownOpts) {
    const [first] = this.args;
    if (first === undefined) usageError(this, `'${this.name()}' needs a command: one of ${names}`);
    this.error(`error: unknown command '${this.name()} ${first}' (one of ${names})`, { exitCode: 2, code: 'commander.unknownCommand' });
  });
}

export function buildProgram(output?: CliOutput): Program {
  const program = new Command('handoff-bridge')
    .description('A durable Temporal workflow per lead, bridging HubSpot and Salesforce under the SLA contract.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show usage, options and an example')
    .helpCommand('help [command]', 'show the usage of a command')
    .showSuggestionAfterError()
    .configureHelp({ sortOptions: true })
    .exitOverride();
  if (output) program.configureOutput({ writeOut: output.writeOut, writeErr: output.writeErr });
  withExamples(program, 'start', 'lead show 1001 --portal 62515', 'completion bash > /etc/bash_completion.d/handoff-bridge');
  for (const register of COMMANDS) register(program);
  refuseBareGroups(program);
  // Without a command: the overview, on stdout, as before.
  program.allowExcessArguments().action((_options, self) => {
    const [first] = self.args;
    if (first !== undefined) self.error(`error: unknown command '${first}' (see handoff-bridge --help)`, { exitCode: 2, code: 'commander.unknownCommand' });
    self.outputHelp();
  });
  return program;
}

/** Every command in the tree, depth first, with its full name (`lead show`): what the help test walks. */
export function allCommands(program: CommandUnknownOpts): Array<{ path: string[]; command: CommandUnknownOpts }> {
  const walk = (command: CommandUnknownOpts, path: string[]): Array<{ path: string[]; command: CommandUnknownOpts }> =>
    command.commands.flatMap((sub) => [{ path: [...path, sub.name()], command: sub }, ...walk(sub, [...path, sub.name()])]);
  return walk(program, []);
}
