import { serveBridge } from '../serve';

export const summary = 'run the bridge ingress (HubSpot webhooks, signed links, codec, dashboard) until SIGTERM';

export function run(): Promise<number> {
  return serveBridge('ingress');
}
