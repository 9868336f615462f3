import { serveFromArgs } from '../serve';

export const summary = 'run the bridge workers (orchestration + CRM task queues, watcher, MQL sweep) until SIGTERM';

export function run(args: string[] = []): Promise<number> {
  return serveFromArgs('worker', 'worker', args);
}
