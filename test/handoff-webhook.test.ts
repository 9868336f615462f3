/**
 * The HubSpot webhook ingress on the dev server, with the bridge's workers and the sandboxes: a
 * duplicate or replayed delivery never makes a second handoff, and a forged, stale or malformed
 * request is refused and starts nothing.
 */
import { mqlWebhookEvent } from '../sandbox/hubspot/mql-event';
import { WorkflowNotFoundError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { signedRequest, type SignedRequest } from '../bench/support/ingress';
import { stateQuery } from '../workflows/handoff';
import { handoffWorkflowId } from '../api/ids';
import { eventually, salesforceLeadsOf, useDevServerHarness, withWebhookIngress } from './helpers/handoff';

const harness = useDevServerHarness();

/** Runs `fn` while the bridge's workers and a webhook ingress (on a free loopback port) serve. */
function withIngress<T>(fn: (webhookUrl: string) => Promise<T>): Promise<T> {
  return withWebhookIngress(harness.env(), harness.h(), {}, fn);
}

/** The body HubSpot sends when a contact's lifecycle stage becomes MQL. */
function mqlBatch(contactId: string, eventId: number): string {
  return JSON.stringify([mqlWebhookEvent({ portalId: harness.h().portalId, contactId, eventId })]);
}

function signed(url: string, body: string, options: { timestamp?: number; clientSecret?: string } = {}): SignedRequest {
  return signedRequest(url, body, options.clientSecret ?? harness.h().sandboxes.hubspot.clientSecret, options.timestamp);
}

async function deliver(url: string, delivery: SignedRequest): Promise<{ status: number; body: { reason?: string } }> {
  const response = await fetch(url, { method: 'POST', headers: delivery.headers, body: delivery.body });
  return { status: response.status, body: (await response.json()) as { reason?: string } };
}

function handoffOf(contactId: string) {
  return harness.env().client.workflow.getHandle(handoffWorkflowId({ portalId: harness.h().portalId, contactId }));
}

/** Waits until the lead is assigned and alerted: the point where a second handoff would show. */
async function awaitAcceptance(contactId: string) {
  const handle = handoffOf(contactId);
  await eventually(async () => (await handle.query(stateQuery).catch(() => undefined))?.stage === 'AwaitingAcceptance', `handoff of ${contactId} awaiting acceptance`);
  await harness.h().inbox.waitFor((alerts) => alerts.length >= 1);
  return handle;
}

/**
 * One handoff for the lead: a single execution for its id in visibility, still the run the first
 * delivery started, one Salesforce lead and one alert; returns how many deliveries reached that run.
 */
async function expectOneHandoff(contactId: string, firstRunId: string): Promise<number> {
  const handle = handoffOf(contactId);
  const query = `WorkflowId = "${handle.workflowId}"`;
  const executions = await eventually(async () => (await harness.env().client.workflow.count(query)).count, `${query} listed`);
  expect(executions).toBe(1);
  const description = await handle.describe();
  expect(description.runId).toBe(firstRunId);
  expect(description.status.name).toBe('RUNNING');
  expect(salesforceLeadsOf(harness.h(), contactId)).toHaveLength(1);
  expect(harness.h().inbox.alerts).toHaveLength(1);
  return signalsReceived(contactId);
}

async function signalsReceived(contactId: string): Promise<number> {
  const history = await handoffOf(contactId).fetchHistory();
  return (history.events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes).length;
}

async function expectNoHandoff(contactId: string): Promise<void> {
  await expect(handoffOf(contactId).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
}

describe('the HubSpot webhook ingress', () => {
  it('makes one handoff of a duplicate delivery: one execution, one Salesforce lead, one alert', async () => {
    await withIngress(async (url) => {
      const contactId = harness.h().createMql();
      const body = mqlBatch(contactId, 501);
      // HubSpot retries and parallel deliveries: the same event, twice, each validly signed, at once.
      const answers = await Promise.all([deliver(url, signed(url, body)), deliver(url, signed(url, body, { timestamp: Date.now() - 1000 }))]);
      expect(answers.map((a) => a.status)).toEqual([200, 200]);

      const handle = await awaitAcceptance(contactId);
      const { runId } = await handle.describe();
      // Both deliveries reached the one run, deduplicated by event id: one started it (the event is its
      // trigger), the other was signalled to it.
      await expectOneHandoff(contactId, runId);
      await eventually(async () => (await signalsReceived(contactId)) === 1, 'the second delivery signalled the one handoff');
      await handle.terminate('test done');
    });
  });

  it('absorbs a captured request replayed while the handoff runs, and refuses one older than 5 minutes with 401', async () => {
    await withIngress(async (url) => {
      const contactId = harness.h().createMql();
      const body = mqlBatch(contactId, 502);
      const captured = signed(url, body);
      expect((await deliver(url, captured)).status).toBe(200);
      const handle = await awaitAcceptance(contactId);
      const { runId } = await handle.describe();

      expect((await deliver(url, captured)).status).toBe(200);
      const stale = await deliver(url, signed(url, body, { timestamp: Date.now() - 6 * 60_000 }));
      expect(stale).toEqual({ status: 401, body: { error: 'invalid_signature', reason: 'request timestamp is older than 5 minutes' } });

      // The replay reached the running handoff as a signal (and changed nothing); the first delivery
      // started it; the stale one never got in.
      await expectOneHandoff(contactId, runId);
      await eventually(async () => (await signalsReceived(contactId)) === 1, 'the replay signalled the running handoff');
      await handle.terminate('test done');
    });
  });

  it('refuses a forged request with 401 and starts nothing: wrong secret, missing headers, body altered after signing', async () => {
    await withIngress(async (url) => {
      const wrongSecret = harness.h().createMql();
      const forged = await deliver(url, signed(url, mqlBatch(wrongSecret, 503), { clientSecret: 'not-the-app-secret' }));
      expect(forged).toMatchObject({ status: 401, body: { reason: 'signature does not match' } });

      const unsigned = harness.h().createMql();
      const bare = await deliver(url, { headers: { 'content-type': 'application/json' }, body: mqlBatch(unsigned, 504) });
      expect(bare).toMatchObject({ status: 401, body: { reason: 'missing X-HubSpot-Signature-v3 header' } });

      const altered = harness.h().createMql();
      const original = signed(url, mqlBatch(harness.h().createMql(), 505));
      const tampered = await deliver(url, { ...original, body: original.body.replace(/"objectId":\d+/, `"objectId":${altered}`) });
      expect(tampered).toMatchObject({ status: 401, body: { reason: 'signature does not match' } });

      for (const contactId of [wrongSecret, unsigned, altered]) await expectNoHandoff(contactId);
    });
  });

  it('answers 400 naming the problem when a validly signed body is not JSON or breaks the schema', async () => {
    await withIngress(async (url) => {
      const notJson = await deliver(url, signed(url, '[{"eventId": 506,'));
      expect(notJson).toEqual({ status: 400, body: { error: 'malformed_body', reason: 'body is not JSON' } });

      const contactId = harness.h().createMql();
      const [event] = JSON.parse(mqlBatch(contactId, 507)) as Array<Record<string, unknown>>;
      const withoutObjectId = JSON.stringify([{ ...event, objectId: undefined }]);
      const invalid = await deliver(url, signed(url, withoutObjectId));
      expect(invalid.status).toBe(400);
      expect(invalid.body.reason).toMatch(/^0\.objectId: /);
      await expectNoHandoff(contactId);
    });
  });

  it("accepts the HubSpot sandbox's own signed batch and starts the lead's handoff", async () => {
    await withIngress(async (url) => {
      harness.h().sandboxes.hubspot.webhooks.configure({ targetUrl: url, subscriptions: [{ id: 1, propertyName: 'lifecyclestage' }], batchWindowMs: 20 });
      const contactId = harness.h().createMql();
      const handle = await awaitAcceptance(contactId);
      expect(harness.h().sandboxes.hubspot.webhooks.stats()).toMatchObject({ failedAttempts: 0, dropped: 0 });
      expect(harness.h().sandboxes.hubspot.webhooks.stats().delivered).toBeGreaterThanOrEqual(1);
      const { runId } = await handle.describe();
      await expectOneHandoff(contactId, runId);
      await handle.terminate('test done');
    });
  });
});
