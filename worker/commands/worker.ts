import type { Command } from '@commander-js/extra-typings';
import { declareBridgeCommand } from './serve';

export const summary = 'run the bridge workers (orchestration + CRM task queues, watcher, MQL sweep) until SIGTERM';

export function register(program: Command): void {
  declareBridgeCommand(program, 'worker', summary, 'worker');
}
