/**
 * A local listener standing in for Slack's incoming webhooks: records when each alert arrives and for
 * which handoff, read from the signed accept link the alert carries (its payload names the workflow).
 */
import Fastify from 'fastify';

export interface ArrivedAlert {
  workflowId: string;
  kind: 'alert' | 'reminder' | 'breach';
  receivedAt: number;
}

export interface AlertInbox {
  url: string;
  alerts: ArrivedAlert[];
  /** The first alert (not reminder) received for each workflow id. */
  firstAlert: Map<string, number>;
  /** Resolves with the arrival time of the workflow's first alert; rejects after `timeoutMs`. */
  waitForAlert(workflowId: string, timeoutMs: number): Promise<number>;
  close(): Promise<void>;
}

const ACTION_TOKEN = /\/actions\/([A-Za-z0-9_-]+)\.[A-Za-z0-9_-]+/;

function workflowIdOf(text: string): string | undefined {
  const encoded = ACTION_TOKEN.exec(text)?.[1];
  if (!encoded) return undefined;
  try {
    const payload: unknown = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
    return typeof payload === 'object' && payload !== null && 'w' in payload && typeof payload.w === 'string' ? payload.w : undefined;
  } catch {
    return undefined;
  }
}

export async function startAlertInbox(): Promise<AlertInbox> {
  const alerts: ArrivedAlert[] = [];
  const firstAlert = new Map<string, number>();
  const waiters = new Map<string, (at: number) => void>();
  const app = Fastify({ logger: false, bodyLimit: 1_048_576 });
  app.post('/slack/:target', async (request) => {
    const receivedAt = Date.now();
    const text = JSON.stringify(request.body);
    const kind = text.includes('Reminder: acceptance due soon') ? 'reminder' : text.includes('SLA breached') ? 'breach' : 'alert';
    const workflowId = workflowIdOf(text) ?? 'unknown';
    alerts.push({ workflowId, kind, receivedAt });
    if (kind === 'alert' && !firstAlert.has(workflowId)) {
      firstAlert.set(workflowId, receivedAt);
      waiters.get(workflowId)?.(receivedAt);
    }
    return { ok: true };
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  const waitForAlert = (workflowId: string, timeoutMs: number): Promise<number> =>
    new Promise((resolve, reject) => {
      const arrived = firstAlert.get(workflowId);
      if (arrived !== undefined) return resolve(arrived);
      const timer = setTimeout(() => {
        waiters.delete(workflowId);
        reject(new Error(`no alert for ${workflowId} within ${timeoutMs} ms`));
      }, timeoutMs);
      waiters.set(workflowId, (at) => {
        clearTimeout(timer);
        waiters.delete(workflowId);
        resolve(at);
      });
    });
  return { url, alerts, firstAlert, waitForAlert, close: () => app.close() };
}
