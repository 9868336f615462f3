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
  if (mode === 'ingress') {
    withExamples(command, name);
    command.action(() => exitWith(serveBridge(mode)));
    return;
  }
  // Modes that run workers check the contract against the CRMs before any handoff runs.
  const checked = command.option(
    '--allow-drift',
    'start even when the contract does not match the CRMs (same as HANDOFF_ALLOW_DRIFT=1); reps named by email still need their Salesforce User Id',
  );
  withExamples(checked, name, `${name} --allow-drift`);
  checked.action((options) => exitWith(serveBridge(mode, { allowDrift: options.allowDrift === true })));
}

export function register(program: Command): void {
  declareBridgeCommand(program, 'serve', summary);
}
