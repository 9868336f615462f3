import { serveBridge } from '../serve';

export const summary = 'run the bridge workers (orchestration + CRM task queues, watcher, MQL sweep) until SIGTERM';

export function run(): Promise<number> {
  return serveBridge('worker');
}
