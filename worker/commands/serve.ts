import { serveBridge } from '../serve';

export const summary = 'run the bridge in HANDOFF_MODE (worker, ingress or all; default all) until SIGTERM';

export function run(): Promise<number> {
  return serveBridge();
}
