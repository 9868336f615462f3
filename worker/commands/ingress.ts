import type { Command } from '@commander-js/extra-typings';
import { declareBridgeCommand } from './serve';

export const summary = 'run the bridge ingress (HubSpot webhooks, signed links, codec, dashboard) until SIGTERM';

export function register(program: Command): void {
  declareBridgeCommand(program, 'ingress', summary, 'ingress');
}
