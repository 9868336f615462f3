/**
 * The whole bridge, end to end on the dev server, composed as production composes it (startBridge,
 * mode all, config from loadConfig): HubSpot sandbox webhook → owner assigned in the Salesforce sandbox
 * → alert to the rep's chat webhook → acceptance in Salesforce (forwarded by the status watcher) or
 * through the signed link → SAL in the HubSpot sandbox.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SALESFORCE_LEAD_FIELDS as SF } from '../mappings/crm';
import type { RunningBridge } from '../worker/bridge';
import { stateQuery } from '../workflows/handoff';
import { handoffWorkflowId, mqlSweepScheduleId, statusWatcherWorkflowId } from '../api/ids';
import type { WebhookOutcome } from '../worker/webhook-route';
import { demoRequest, eventually, salesforceLeadsOf, sendMqlWebhook, startHandoffHarness, workAroundTheClock, type HandoffHarness } from './helpers/handoff';
import { startTestBridge } from './helpers/running-bridge';
import { uniqueTaskQueue } from './helpers/temporal';

let h: HandoffHarness;
let bridge: RunningBridge | undefined;

beforeEach(async () => {
  h = await startHandoffHarness({ tweak: workAroundTheClock });
});
afterEach(async () => {
  // The watcher and the sweep schedule outlive the process on a shared server: remove them too.
  const cleanup = bridge ? removeLoops(bridge.client, h.portalId) : Promise.resolve();
  await cleanup;
  await bridge?.stop();
  bridge = undefined;
  await h?.stop();
});

async function removeLoops(client: Client, portalId: string): Promise<void> {
  await client.workflow
    .getHandle(statusWatcherWorkflowId(portalId))
    .terminate('test done')
    .catch((err: unknown) => {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    });
  await client.schedule.getHandle(mqlSweepScheduleId(portalId)).delete();
}

async function startTheBridge(): Promise<RunningBridge> {
  return (await startTestBridge(h, { HANDOFF_TASK_QUEUE: uniqueTaskQueue('e2e'), LOG_LEVEL: 'warn' })).bridge;
}

function hubspotLeadStatus(contactId: string): string | null {
  return h.sandboxes.hubspot.store.value(contactId, 'hs_lead_status');
}

describe('the bridge end to end', () => {
  it('hands a webhook MQL to a Salesforce owner, alerts the rep, and reaches SAL in HubSpot when the rep accepts in Salesforce or by the signed link', async () => {
    bridge = await startTheBridge();
    const running = bridge;
    h.sandboxes.hubspot.webhooks.configure({
      targetUrl: `${running.ingressUrl}/webhooks/hubspot`,
      subscriptions: [{ id: 1, propertyName: 'lifecyclestage' }],
      batchWindowMs: 20,
    });
    const sal = h.contract.statusMapping.SAL;

    // 1. The contact becomes an MQL in HubSpot; its webhook starts the handoff.
    const first = h.createMql();
    await h.inbox.waitFor((alerts) => alerts.length === 1);
    const handle = running.client.workflow.getHandle(handoffWorkflowId({ portalId: h.portalId, contactId: first }));
    const assigned = await handle.query(stateQuery);
    expect(assigned.stage).toBe('AwaitingAcceptance');
    const [lead] = salesforceLeadsOf(h, first);
    expect(salesforceLeadsOf(h, first)).toHaveLength(1);
    expect(lead?.id).toBe(assigned.salesforceLeadId);
    expect(lead?.fields[SF.ownerId]).toBe(assigned.ownerId);
    const repIndex = h.reps.findIndex((r) => r.id === assigned.ownerId);
    expect(h.inbox.alerts[0]).toMatchObject({ repIndex, kind: 'alert' });

    // 2. The rep accepts the way reps do: the lead's Status, changed in Salesforce by its owner.
    h.sandboxes.salesforce.store.update('Lead', lead?.id ?? '', { [SF.status]: sal.salesforceStatus }, assigned.ownerId);
    await eventually(() => hubspotLeadStatus(first) === sal.hubspotLeadStatus, 'SAL lead status in HubSpot');
    const accepted = await handle.query(stateQuery);
    expect(accepted.stage).toBe('SAL');
    expect(accepted.timeline.find((t) => t.event === 'accepted')?.detail).toBe(`by ${assigned.ownerId} via salesforce`);
    expect(h.sandboxes.hubspot.store.value(first, 'handoff_accepted_at')).toBeTruthy();

    // 3. A second lead, accepted through the signed link in its alert: GET only asks, POST accepts.
    const second = h.createMql();
    await h.inbox.waitFor((alerts) => alerts.length === 2);
    const acceptUrl = h.inbox.alerts[1]?.acceptUrl ?? '';
    expect(acceptUrl.startsWith(`${running.ingressUrl}/actions/`)).toBe(true);
    const secondHandle = running.client.workflow.getHandle(handoffWorkflowId({ portalId: h.portalId, contactId: second }));

    const confirmation = await fetch(acceptUrl);
    expect(confirmation.status).toBe(200);
    expect(await confirmation.text()).toContain('<form method="post"><button type="submit">Accept lead</button></form>');
    expect((await secondHandle.query(stateQuery)).stage).toBe('AwaitingAcceptance');
    expect(hubspotLeadStatus(second)).not.toBe(sal.hubspotLeadStatus);

    const done = await fetch(acceptUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('The lead is now <strong>SAL</strong>.');
    expect(hubspotLeadStatus(second)).toBe(sal.hubspotLeadStatus);
    const secondLead = salesforceLeadsOf(h, second);
    expect(secondLead).toHaveLength(1);
    expect(secondLead[0]?.fields[SF.status]).toBe(sal.salesforceStatus);

    await Promise.all([handle.terminate('test done'), secondHandle.terminate('test done')]);
  });

  it('starts a demo request eagerly on its own hot lane (ingress and workers in one process) and alerts its rep', async () => {
    bridge = await startTheBridge();
    // No sandbox delivery is configured: the webhook is sent here, so the test reads the ingress's answer.
    const hot = h.createMql(demoRequest());
    const response = await sendMqlWebhook(`${bridge.ingressUrl}/webhooks/hubspot`, h, [hot]);
    expect(response.status).toBe(200);
    // The server handed the handoff's first workflow task straight back to this process.
    expect((await response.json()) as WebhookOutcome).toEqual({ handoffs: 1, eagerlyStarted: 1, signalled: 0, ignored: 0 });
    await h.inbox.waitFor((alerts) => alerts.length === 1);
    expect(salesforceLeadsOf(h, hot)[0]?.fields[SF.ownerId]).toBeTruthy();
    await bridge.client.workflow.getHandle(handoffWorkflowId({ portalId: h.portalId, contactId: hot })).terminate('test done');
  });
});
