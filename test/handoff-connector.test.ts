/**
 * The handoff alongside the native HubSpot–Salesforce connector (emulated between the sandboxes), on
 * the time-skipping server with the contract's 20-minute sync grace: the connector's lead is reused,
 * and a lead the bridge had to upsert itself is the one the connector later links, never a duplicate.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DateTime } from 'luxon';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HUBSPOT_PROPERTIES as HS, SALESFORCE_LEAD_FIELDS as SF } from '../mappings/crm';
import { stateQuery, leadHandoff } from '../workflows/handoff';
import { handoffWorkflowId } from '../api/ids';
import { endHandoffTest, eventually, salesforceLeadsOf, startHandoffHarness, withHandoffWorkers, type HandoffHarness } from './helpers/handoff';
import { timeSkippingEnv } from './helpers/temporal';

let env: TestWorkflowEnvironment;
let h: HandoffHarness;

beforeEach(async () => {
  [env, h] = await Promise.all([timeSkippingEnv(), startHandoffHarness({ connector: true })]);
  await skipToMondayMorning();
});
afterEach(() => endHandoffTest(h, env));

/** Business hours for every rep, whatever day the run starts on. */
async function skipToMondayMorning(): Promise<void> {
  const now = DateTime.fromMillis(await env.currentTimeMs(), { zone: 'Europe/London' });
  let target = now.set({ hour: 10, minute: 0, second: 0, millisecond: 0 });
  while (target.weekday !== 1 || target <= now) target = target.plus({ days: 1 });
  await env.sleep(target.toMillis() - now.toMillis());
}

async function startHandoff(taskQueue: string, contactId: string) {
  return env.client.workflow.start(leadHandoff, {
    taskQueue,
    workflowId: handoffWorkflowId({ portalId: h.portalId, contactId }),
    args: [{ portalId: h.portalId, contactId, trigger: { source: 'webhook', observedAt: new Date().toISOString() } }],
  });
}

/** Real time: until the handoff has looked for a lead once and started its grace wait. */
async function awaitSyncWait(handle: Awaited<ReturnType<typeof startHandoff>>): Promise<void> {
  // The state query answers once the contract is loaded; until then the handoff is not waiting yet.
  const waiting = async () => (await handle.query(stateQuery).catch(() => undefined))?.timeline.some((t) => t.detail?.startsWith('waiting up to 20 min'));
  await eventually(waiting, 'grace wait started');
}

describe('the handoff with the native connector', () => {
  it("reuses the lead the connector creates during the grace wait: one Lead, the handoff's own", async () => {
    expect(h.contract.handoff.syncGraceMinutes).toBe(20);
    await withHandoffWorkers(env, h, async ({ taskQueue }) => {
      const contactId = h.createMql();
      const handle = await startHandoff(taskQueue, contactId);
      await awaitSyncWait(handle);
      expect(salesforceLeadsOf(h, contactId)).toHaveLength(0);

      await h.sandboxes.connector?.syncNow();
      const connectorLeadId = h.sandboxes.hubspot.store.value(contactId, HS.salesforceLeadId);
      expect(connectorLeadId).toBeTruthy();
      // The next look, a minute into the grace period, finds it.
      await env.sleep('61 seconds');
      await h.inbox.waitFor((alerts) => alerts.length === 1);

      const state = await handle.query(stateQuery);
      expect(state.stage).toBe('AwaitingAcceptance');
      expect(state.salesforceLeadId).toBe(connectorLeadId);
      expect(state.timeline.some((t) => t.detail === `reusing Salesforce lead ${connectorLeadId}`)).toBe(true);
      const leads = salesforceLeadsOf(h, contactId);
      expect(leads.map((l) => l.id)).toEqual([connectorLeadId]);
      expect(leads[0]?.fields[SF.ownerId]).toBe(state.ownerId);
      await handle.terminate('test done');
    });
  });

  it('upserts the lead by HubSpot id once the grace period passes unsynced, and the connector then links that lead instead of creating one', async () => {
    await withHandoffWorkers(env, h, async ({ taskQueue }) => {
      const contactId = h.createMql();
      const handle = await startHandoff(taskQueue, contactId);
      await awaitSyncWait(handle);
      await env.sleep('21 minutes');
      await h.inbox.waitFor((alerts) => alerts.length === 1);

      const state = await handle.query(stateQuery);
      const upserted = salesforceLeadsOf(h, contactId);
      expect(upserted.map((l) => l.id)).toEqual([state.salesforceLeadId]);
      expect(upserted[0]?.fields[SF.hubspotContactId]).toBe(contactId);
      // The real connector links leads by email: the upserted lead carries the contact's.
      expect(upserted[0]?.fields[SF.email]).toBe(h.sandboxes.hubspot.store.value(contactId, HS.email));
      expect(state.timeline.some((t) => t.detail === `created Salesforce lead ${state.salesforceLeadId} by HubSpot id`)).toBe(true);

      await h.sandboxes.connector?.syncNow();
      expect(h.sandboxes.connector?.stats().leadsCreated).toBe(0);
      expect(salesforceLeadsOf(h, contactId).map((l) => l.id)).toEqual([state.salesforceLeadId]);
      expect(h.sandboxes.hubspot.store.value(contactId, HS.salesforceLeadId)).toBe(state.salesforceLeadId);
      await handle.terminate('test done');
    });
  });
});
