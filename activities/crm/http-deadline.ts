/**
 * An HTTP agent whose sockets are destroyed after `timeoutMs` without traffic. The HubSpot client
 * (node-fetch 2 underneath) has no timeout of its own, and a CRM that stops answering must fail the
 * call (CrmUnavailable, retried by Temporal) instead of hanging the activity.
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { Socket } from 'node:net';

export function deadlineAgent(baseUrl: string, timeoutMs: number): HttpAgent {
  const agent = baseUrl.startsWith('https:') ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
  const createConnection = agent.createConnection.bind(agent);
  agent.createConnection = (options, callback) => {
    const socket = createConnection(options, callback);
    if (socket instanceof Socket) {
      socket.setTimeout(timeoutMs, () => socket.destroy(Object.assign(new Error('CRM request timed out'), { code: 'ETIMEDOUT' })));
    }
    return socket;
  };
  return agent;
}
