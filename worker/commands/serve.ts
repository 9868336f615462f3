import type { Command } from '@commander-js/extra-typings';
import { withExamples } from '../cli/declare';
import { exitWith } from '../cli/errors';
import type { HandoffMode } from '../config';
import { serveBridge } from '../serve';

export const summary = 'run the bridge in HANDOFF_MODE (worker, ingress or all; default all) until SIGTERM';

/** serve, worker and ingress: the same long-running bridge, in a fixed mode or HANDOFF_MODE's. */
export function declareBridgeCommand(program: Command, name: string, description: string, mode?: HandoffMode): void {
  const command = program
    .command(name)
    .summary(description)
    .description(`${description}. Configured by the environment (docs/operations.md lists every variable).`);
  withExamples(command, name);
  command.action(() => exitWith(serveBridge(mode)));
}

export function register(program: Command): void {
  declareBridgeCommand(program, 'serve', summary);
}
