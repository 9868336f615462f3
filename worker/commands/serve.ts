import { serveFromArgs } from '../serve';

export const summary = 'run the bridge in HANDOFF_MODE (worker, ingress or all; default all) until SIGTERM';

export function run(args: string[] = []): Promise<number> {
  return serveFromArgs('serve', undefined, args);
}
