/**
 * Bad input at every edge: thousands of generated webhook requests at the real ingress (forged,
 * replayed, malformed), malformed contract files through parseContract and malformed environments
 * through loadConfig. Nothing forged may be accepted, nothing may crash, every refusal must say why.
 */
import { randomBytes } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { waitUntil } from '../bench/support/stats';
import { mqlEvent, signedRequest, startIngress, WEBHOOK_PATH, type SignedRequest } from '../bench/support/ingress';
import { fuzzContracts, fuzzEnvironments, type FuzzVerdict } from './config-fuzz';
import { forgeries, harmlessEvent, malformedBodies } from './webhook-fuzz';

export interface BadInputOptions {
  client: Client;
  webhooks: number;
  contracts: number;
  environments: number;
}

export interface WebhookVerdict {
  forged: number;
  acceptedForgeries: string[];
  malformed: number;
  /** 5xx answers or dropped connections. */
  crashes: string[];
  /** 4xx answers without an error code and a reason. */
  unclear: string[];
  /** A valid request sent twice within the 5-minute window: accepted twice, one handoff. */
  replayWithinWindow: { accepted: number; handoffs: number };
  healthyAfter: boolean;
}

export interface BadInputResult {
  webhooks: WebhookVerdict;
  contracts: FuzzVerdict;
  environments: FuzzVerdict;
}

async function post(url: string, request: SignedRequest): Promise<{ status: number; body: string }> {
  const response = await fetch(url, { method: 'POST', headers: request.headers, body: request.body, signal: AbortSignal.timeout(30_000) });
  return { status: response.status, body: await response.text() };
}

function explains(body: string): boolean {
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null && 'error' in parsed && 'reason' in parsed && Boolean(parsed.error) && Boolean(parsed.reason);
  } catch {
    return false;
  }
}

/** Runs `tasks` with at most `parallel` in flight. */
async function inParallel<T>(items: T[], parallel: number, task: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: parallel }, async () => {
    for (let i = next++; i < items.length; i = next++) await task(items[i] as T, i);
  }));
}

export async function fuzzWebhooks(client: Client, count: number): Promise<WebhookVerdict> {
  const portalId = String(10_000 + Math.floor(Math.random() * 89_999_999));
  const secret = randomBytes(24).toString('base64url');
  const taskQueue = `bad-input-${portalId}`;
  const ingress = await startIngress({ client, taskQueue, portalId, clientSecret: secret });
  const url = `${ingress.url}${WEBHOOK_PATH}`;
  const verdict: WebhookVerdict = { forged: 0, acceptedForgeries: [], malformed: 0, crashes: [], unclear: [], replayWithinWindow: { accepted: 0, handoffs: 0 }, healthyAfter: false };
  const judge = async (label: string, request: SignedRequest, forged: boolean): Promise<void> => {
    let answer: { status: number; body: string };
    try {
      answer = await post(url, request);
    } catch (err) {
      verdict.crashes.push(`${label}: ${String(err)}`);
      return;
    }
    if (answer.status >= 500) verdict.crashes.push(`${label}: HTTP ${answer.status}`);
    else if (forged && answer.status < 300) verdict.acceptedForgeries.push(label);
    else if (answer.status >= 400 && !explains(answer.body)) verdict.unclear.push(`${label}: HTTP ${answer.status} ${answer.body.slice(0, 80)}`);
  };
  try {
    const forgedRequests = forgeries(ingress.url, portalId, secret, Math.ceil(count / 2));
    verdict.forged = forgedRequests.length;
    await inParallel(forgedRequests, 8, (f, i) => judge(`forgery ${i} (${f.kind})`, f.request, true));
    const bodies = [...malformedBodies(portalId, Math.floor(count / 2)), JSON.stringify([harmlessEvent(String(Number(portalId) + 1), 0)])];
    verdict.malformed = bodies.length;
    await inParallel(bodies, 8, (body, i) => judge(`malformed body ${i}`, signedRequest(url, body, secret), false));

    const replay = signedRequest(url, JSON.stringify([mqlEvent(portalId, '4242')]), secret);
    for (let i = 0; i < 2; i++) if ((await post(url, replay)).status === 200) verdict.replayWithinWindow.accepted += 1;
    const query = `WorkflowId STARTS_WITH "handoff:${portalId}:"`;
    // Visibility trails the start by a moment: wait for the first, then a little longer for any second.
    await waitUntil(async () => (await client.workflow.count(query)).count > 0, 10_000, 200);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const opened = client.workflow.list({ query });
    for await (const execution of opened) {
      verdict.replayWithinWindow.handoffs += 1;
      await client.workflow.getHandle(execution.workflowId).terminate('bad-input check done').catch(() => undefined);
    }
    verdict.healthyAfter = (await fetch(`${ingress.url}/healthz`)).ok;
  } finally {
    await ingress.close();
  }
  return verdict;
}

export async function runBadInput(options: BadInputOptions): Promise<BadInputResult> {
  return {
    webhooks: await fuzzWebhooks(options.client, options.webhooks),
    contracts: fuzzContracts(options.contracts),
    environments: fuzzEnvironments(options.environments),
  };
}
