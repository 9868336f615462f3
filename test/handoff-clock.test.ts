/**
 * The handoff on the real time-skipping server: acceptance windows of business minutes, reminders,
 * reassignments and read-backs complete in seconds, against the real sandboxes and clients.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { DateTime } from 'luxon';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SALESFORCE_LEAD_FIELDS as SF } from '../mappings/crm';
import { CONTACT_CHANGED_SIGNAL, LEAD_CHANGED_SIGNAL } from '../api/handoff';
import { ROUTING_CHANGED_SIGNAL } from '../api/routing';
import { acceptUpdate, leadChangedSignal, rejectUpdate, stateQuery } from '../workflows/handoff';
import { sqlFieldsFor } from './helpers/contract-contacts';
import { endHandoffTest, eventually, skipToLondon, startHandoffHarness, startHandoffOf, withHandoffWorkers, type HandoffHarness } from './helpers/handoff';
import { timeSkippingEnv } from './helpers/temporal';

let env: TestWorkflowEnvironment;
let h: HandoffHarness;

// A server of its own per test: leftovers of one test (routing queues, terminated handoffs) never hold
// another test's clock.
beforeEach(async () => {
  [env, h] = await Promise.all([timeSkippingEnv(), startHandoffHarness()]);
});
afterEach(() => endHandoffTest(h, env));

function hubspotValue(contactId: string, property: string): string | null {
  return h.sandboxes.hubspot.store.value(contactId, property);
}

function leadFor(contactId: string) {
  const lead = h.sandboxes.salesforce.store.list('Lead').filter((l) => l.fields[SF.hubspotContactId] === contactId);
  expect(lead).toHaveLength(1);
  return lead[0]!;
}

describe('the lead handoff on business time', () => {
  it('is accepted within the window: SAL in both systems and the clock stamped', async () => {
    await skipToLondon(env, 1, '10:00');
    await withHandoffWorkers(env, h, async ({ taskQueue }) => {
      const contactId = h.createMql();
      const handle = await startHandoffOf(env, h, taskQueue, contactId);
      await h.inbox.waitFor((alerts) => alerts.length === 1);
      const assigned = await handle.query(stateQuery);
      expect(assigned.stage).toBe('AwaitingAcceptance');

      const state = await handle.executeUpdate(acceptUpdate, { args: [{ actor: assigned.ownerId ?? '', via: 'link' }] });
      expect(state.stage).toBe('SAL');

      const lead = leadFor(contactId);
      expect(lead.fields[SF.status]).toBe(h.contract.statusMapping.SAL.salesforceStatus);
      expect(lead.fields[SF.ownerId]).toBe(assigned.ownerId);
      expect(lead.fields[SF.assignedAt]).toBeTruthy();
      expect(lead.fields[SF.acceptedAt]).toBeTruthy();
      // Created through the contract's field mappings, picklist value map included.
      expect(lead.fields[SF.leadSource]).toBe('Web');
      expect(lead.fields[SF.company]).toMatch(/^Acme \d+ GmbH$/);
      expect(hubspotValue(contactId, 'handoff_accepted_at')).toBeTruthy();
      expect(hubspotValue(contactId, 'hs_lead_status')).toBe(h.contract.statusMapping.SAL.hubspotLeadStatus ?? null);

      const result = await handle.result();
      expect(result.outcome).toBe('accepted');
      expect(result.flags).toContain('contact_attempts_missed');
      expect(result.delays.repSeconds).toBeGreaterThanOrEqual(0);
    });
  });

  it('reminds, reassigns up to the limit, then reverts to nurture in both systems when nobody accepts', async () => {
    await skipToLondon(env, 1, '10:00');
    await withHandoffWorkers(env, h, async ({ taskQueue }) => {
      const contactId = h.createMql();
      const handle = await startHandoffOf(env, h, taskQueue, contactId);
      const result = await handle.result();

      expect(result.outcome).toBe('reverted_missed');
      expect(result.stage).toBe('Nurture');
      const limit = h.contract.handoff.reassignLimit;
      const alerts = h.inbox.alerts.filter((a) => a.kind === 'alert');
      const reminders = h.inbox.alerts.filter((a) => a.kind === 'reminder');
      expect(alerts).toHaveLength(limit + 1);
      expect(reminders).toHaveLength(limit + 1);
      expect(new Set(alerts.map((a) => a.repIndex)).size).toBe(limit + 1);
      const breaches = h.inbox.alerts.filter((a) => a.kind === 'breach');
      expect(breaches).toHaveLength(limit + 1);
      expect(breaches.every((a) => a.repIndex === -1)).toBe(true);

      expect(hubspotValue(contactId, 'lifecyclestage')).toBe(h.contract.handoff.revert.hubspotLifecycle);
      expect(hubspotValue(contactId, 'hs_lead_status')).toBe(h.contract.handoff.revert.hubspotLeadStatus);
      expect(hubspotValue(contactId, 'handoff_outcome')).toBe('REVERTED_SLA_MISSED');
      expect([...(h.sandboxes.hubspot.store.lists.get(h.nurtureListId)?.members ?? [])]).toContain(contactId);
      const lead = leadFor(contactId);
      expect(lead.fields[SF.status]).toBe(h.contract.handoff.revert.salesforceStatus);
      expect(lead.fields[SF.rejectionReason]).toBe('SLA_MISSED');
      expect(result.flags).not.toContain('revert_unverified');
    });
  });

  it('sends a lead rejected with a recyclable reason back to nurture', async () => {
    await skipToLondon(env, 2, '11:00');
    await withHandoffWorkers(env, h, async ({ taskQueue }) => {
      const contactId = h.createMql();
      const handle = await startHandoffOf(env, h, taskQueue, contactId);
      await h.inbox.waitFor((alerts) => alerts.length === 1);
      const state = await handle.executeUpdate(rejectUpdate, { args: [{ actor: 'rep', via: 'cli', reason: 'BAD_TIMING' }] });
      expect(state.stage).toBe('Nurture');
      const result = await handle.result();
      expect(result).toMatchObject({ outcome: 'reverted_rejected', rejectionReason: 'BAD_TIMING' });
      expect(hubspotValue(contactId, 'lifecyclestage')).toBe('lead');
      expect(hubspotValue(contactId, 'hs_lead_status')).toBe('BAD_TIMING');
      expect(leadFor(contactId).fields[SF.rejectionReason]).toBe('BAD_TIMING');
    });
  });

  it('disqualifies a lead rejected with a non-recyclable reason', async () => {
    await skipToLondon(env, 2, '11:00');
    await withHandoffWorkers(env, h, async ({ taskQueue }) => {
      const contactId = h.createMql();
      const handle = await startHandoffOf(env, h, taskQueue, contactId);
      await h.inbox.waitFor((alerts) => alerts.length === 1);
      const state = await handle.executeUpdate(rejectUpdate, { args: [{ actor: 'rep', via: 'cli', reason: 'WRONG_INDUSTRY' }] });
      expect(state.stage).toBe('Disqualified');
      expect((await handle.result()).outcome).toBe('disqualified');
      const disqualified = h.contract.statusMapping.Disqualified;
      expect(hubspotValue(contactId, 'hs_lead_status')).toBe(disqualified.hubspotLeadStatus ?? null);
      expect(leadFor(contactId).fields[SF.status]).toBe(disqualified.salesforceStatus);
      expect([...(h.sandboxes.hubspot.store.lists.get(h.nurtureListId)?.members ?? [])]).not.toContain(contactId);
    });
  });

  it('refuses a rejection reason outside the closed taxonomy before it enters history', async () => {
    await skipToLondon(env, 2, '11:00');
    await withHandoffWorkers(env, h, async ({ taskQueue }) => {
      const contactId = h.createMql();
      const handle = await startHandoffOf(env, h, taskQueue, contactId);
      await h.inbox.waitFor((alerts) => alerts.length === 1);
      const refused = handle.executeUpdate(rejectUpdate, { args: [{ actor: 'rep', via: 'cli', reason: 'LEADS_ARE_RUBBISH' }] });
      const failure = await refused.catch((err: unknown) => err);
      expect(failure).toBeInstanceOf(WorkflowUpdateFailedError);
      expect((failure as WorkflowUpdateFailedError).cause?.message).toMatch(/unknown rejection reason "LEADS_ARE_RUBBISH"/);
      expect((await handle.query(stateQuery)).stage).toBe('AwaitingAcceptance');
      // The control: a reason inside the taxonomy, accepted, is visible to the same check of the
      // history's stored bytes (payloads are bytes; a JSON dump shows them as base64 and would pass blind).
      await handle.executeUpdate(rejectUpdate, { args: [{ actor: 'rep', via: 'cli', reason: 'WRONG_INDUSTRY' }] });
      await handle.result();
      const stored = Buffer.from(temporal.api.history.v1.History.encode(await handle.fetchHistory()).finish());
      expect(stored.includes('WRONG_INDUSTRY')).toBe(true);
      expect(stored.includes('LEADS_ARE_RUBBISH')).toBe(false);
    });
  });

  it('logs and ignores signals it cannot read, and is decided by the next valid one (a throwing handler would stop it)', async () => {
    await skipToLondon(env, 2, '10:00');
    await withHandoffWorkers(env, h, async ({ taskQueue }) => {
      const contactId = h.createMql();
      const handle = await startHandoffOf(env, h, taskQueue, contactId);
      await h.inbox.waitFor((alerts) => alerts.length === 1);
      const assigned = await handle.query(stateQuery);
      const salStatus = h.contract.statusMapping.SAL.salesforceStatus;
      // As sent by hand (the Temporal UI, `temporal workflow signal`): no payload, the wrong type, and a
      // status change whose time cannot be read (taken as "after the assignment", it would accept).
      await handle.signal(LEAD_CHANGED_SIGNAL);
      await handle.signal(CONTACT_CHANGED_SIGNAL, 'MQL');
      await handle.signal(LEAD_CHANGED_SIGNAL, { leadId: assigned.salesforceLeadId, ownerId: assigned.ownerId, status: salStatus, modifiedAt: 'today' });
      await handle.signal(ROUTING_CHANGED_SIGNAL);
      expect((await handle.query(stateQuery)).stage).toBe('AwaitingAcceptance');

      const now = new Date(await env.currentTimeMs());
      await handle.signal(leadChangedSignal, { leadId: assigned.salesforceLeadId ?? '', ownerId: assigned.ownerId, status: salStatus, modifiedAt: now.toISOString() });
      await eventually(async () => (await handle.query(stateQuery)).stage === 'SAL', 'the handoff accepted through Salesforce');
      const { events } = await handle.fetchHistory();
      expect(events?.filter((e) => e.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED)).toEqual([]);
      expect(events?.filter((e) => e.workflowExecutionSignaledEventAttributes)).toHaveLength(5);
      await handle.terminate('test done');
    });
  });

  it("gives a lead arriving Friday 16:50 Monday's deadline", async () => {
    await skipToLondon(env, 5, '16:50');
    await withHandoffWorkers(env, h, async ({ taskQueue }) => {
      const contactId = h.createMql();
      const handle = await startHandoffOf(env, h, taskQueue, contactId);
      await h.inbox.waitFor((alerts) => alerts.length === 1);
      const state = await handle.query(stateQuery);
      // 30 business minutes: 10 on Friday (until 17:00), 20 on Monday from 09:00.
      const deadline = DateTime.fromISO(state.deadline ?? '', { zone: 'Europe/London' });
      expect(deadline.weekday).toBe(1);
      expect(deadline.toFormat('HH:mm')).toBe('09:20');
      await handle.terminate('test done');
    });
  });

  it.each([
    { when: 'the watcher reports the conversion', at: '14:00', sqlWriteMeetsConversion: false },
    // The watcher's report of the lead meeting the SQL definition left Salesforce before the rep
    // converted it, so the bridge's SQL status write meets a converted lead: not a cause to block on.
    { when: 'its SQL status write meets the conversion on its way', at: '14:30', sqlWriteMeetsConversion: true },
  ])('moves a converted lead forward to opportunity in HubSpot when $when', async ({ at, sqlWriteMeetsConversion }) => {
    await skipToLondon(env, 3, at);
    await withHandoffWorkers(env, h, async ({ taskQueue }) => {
      const contactId = h.createMql();
      const handle = await startHandoffOf(env, h, taskQueue, contactId);
      await h.inbox.waitFor((alerts) => alerts.length === 1);
      const accepted = await handle.executeUpdate(acceptUpdate, { args: [{ actor: 'rep', via: 'link' }] });
      const leadId = accepted.salesforceLeadId ?? '';
      const converted = h.sandboxes.salesforce.store.convertLead({ leadId, convertedStatus: 'Closed - Converted', createOpportunity: true });
      const now = new Date(await env.currentTimeMs());
      await handle.signal(leadChangedSignal, {
        leadId,
        ownerId: accepted.ownerId,
        modifiedAt: now.toISOString(),
        ...(sqlWriteMeetsConversion ? { isConverted: false, fields: sqlFieldsFor(h.contract, now) } : { isConverted: true, status: 'Closed - Converted' }),
      });
      const result = await handle.result();
      expect(result).toMatchObject({ outcome: 'converted', stage: 'Opportunity' });
      expect(converted).toBeTruthy();
      expect(hubspotValue(contactId, 'lifecyclestage')).toBe(h.contract.statusMapping.Opportunity.hubspotLifecycle);
      expect(hubspotValue(contactId, 'handoff_outcome')).toBe('CONVERTED');
      const state = await handle.query(stateQuery);
      expect(state.blocked).toBeUndefined();
      const superseded = 'the SQL status not written to Salesforce: the lead was converted while it was on its way';
      expect(state.timeline.some((t) => t.detail === superseded)).toBe(sqlWriteMeetsConversion);
    });
  });

  it('waits Blocked, naming the refused step, when a CRM write is refused for good, and alerts RevOps', async () => {
    await h.stop();
    h = await startHandoffHarness({
      tweak: (contract) => {
        contract.statusMapping.SAL.hubspotLeadStatus = 'NOT_A_PORTAL_STATUS';
      },
    });
    await skipToLondon(env, 2, '11:00');
    await withHandoffWorkers(env, h, async ({ taskQueue }) => {
      const contactId = h.createMql();
      const handle = await startHandoffOf(env, h, taskQueue, contactId);
      await h.inbox.waitFor((alerts) => alerts.length === 1);
      await handle.startUpdate(acceptUpdate, { args: [{ actor: 'rep', via: 'cli' }], waitForStage: 'ACCEPTED' });
      const blocked = await eventually(async () => (await handle.query(stateQuery)).blocked, 'the handoff Blocked');
      expect(blocked).toMatchObject({ step: 'writeContact', errorType: 'CrmInvalidRequest', retries: 0 });
      expect(blocked.code).toMatch(/^HTTP_400/);
      expect(blocked.code).not.toMatch(/@/);
      expect((await handle.query(stateQuery)).stage).toBe('SAL');
      await h.inbox.waitFor((alerts) => alerts.some((a) => a.kind === 'blocked' && a.text.includes('Handoff blocked at writeContact')));
      expect((await handle.describe()).status.name).toBe('RUNNING');
      await handle.terminate('test done');
    });
  });
});
