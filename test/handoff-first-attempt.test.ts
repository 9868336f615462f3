/**
 * Speed-to-lead's stop event on the real time-skipping server: a Task logged in Salesforce 12 business
 * minutes after the assignment reaches the handoff through the status watcher and is stamped as the
 * first attempt within one watcher poll (not when the attempt window closes); the next report counts
 * the lead as met.
 */
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HUBSPOT_PROPERTIES as HS, SALESFORCE_LEAD_FIELDS as SF } from '../mappings/crm';
import { buildSlaReport } from '../mappings/metrics';
import { stateQuery } from '../workflows/handoff';
import { salesforceStatusWatcher } from '../workflows/status-watcher';
import { endHandoffTest, eventually, skipToLondon, startHandoffHarness, startHandoffOf, withHandoffWorkers, type HandoffHarness } from './helpers/handoff';
import { timeSkippingEnv } from './helpers/temporal';

const POLL = '2 minutes';
let env: TestWorkflowEnvironment;
let h: HandoffHarness;

beforeEach(async () => {
  [env, h] = await Promise.all([timeSkippingEnv(), startHandoffHarness()]);
});
afterEach(() => endHandoffTest(h, env));

describe('the first contact attempt', () => {
  it('is stamped within one watcher poll of the Task appearing, and the next report counts the lead as met', async () => {
    // Monday 10:00 in London, so 12 minutes after the assignment are 12 business minutes.
    await skipToLondon(env, 1, '10:00', h.contract.calendar.holidays);

    await withHandoffWorkers(env, h, async ({ taskQueue }) => {
      const contactId = h.createMql();
      const handle = await startHandoffOf(env, h, taskQueue, contactId);
      await h.inbox.waitFor((alerts) => alerts.length === 1);
      const assigned = await handle.query(stateQuery);
      const assignedAt = assigned.marks.firstAssignedAt ?? '';
      expect(assignedAt).not.toBe('');
      const leadId = assigned.salesforceLeadId ?? '';

      const watcher = await env.client.workflow.start(salesforceStatusWatcher, {
        taskQueue,
        workflowId: `watcher-${randomUUID()}`,
        // Lead changes from the sandbox's (real) clock; Tasks from the assignment on.
        args: [{ portalId: h.portalId, pollInterval: POLL, cursor: { since: new Date(Date.now() - 60_000).toISOString(), tasksSince: assignedAt } }],
      });
      try {
        // The rep logs a call; Salesforce dates it 12 minutes after the assignment (set through the admin route).
        const task = h.sandboxes.salesforce.store.create('Task', { WhoId: leadId, Type: 'Call', Subject: 'first call', Status: 'Completed' });
        const loggedAt = new Date(Date.parse(assignedAt) + 12 * 60_000).toISOString();
        const dated = await fetch(`${h.sandboxes.salesforce.instanceUrl}/__sandbox/timestamps`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ id: task.id, createdDate: loggedAt }),
        });
        expect(dated.status).toBe(200);

        await env.sleep(POLL);
        const stamped = await eventually(() => h.sandboxes.hubspot.store.value(contactId, HS.handoffFirstAttemptAt), 'the first-attempt stamp in HubSpot', 10_000);
        expect(Date.parse(stamped)).toBe(Date.parse(loggedAt));
        expect(Date.parse(String(h.sandboxes.salesforce.store.find(leadId)?.fields[SF.firstAttemptAt] ?? ''))).toBe(Date.parse(loggedAt));
        expect((await handle.query(stateQuery)).stage).toBe('AwaitingAcceptance');

        // The next report, from what the two systems now hold: met, 12 business minutes.
        const contact = h.sandboxes.hubspot.store.get(contactId);
        const reportNow = new Date(await env.currentTimeMs()).toISOString();
        const sla = buildSlaReport({
          contract: h.contract,
          facts: [
            {
              contactId,
              leadId,
              hubspot: Object.fromEntries(contact?.values ?? []),
              salesforce: { ...h.sandboxes.salesforce.store.find(leadId)?.fields },
              attempts: [{ createdAt: loggedAt, channel: 'call' }],
            },
          ],
          window: { from: new Date(Date.parse(assignedAt) - 86_400_000).toISOString(), to: reportNow },
          now: reportNow,
        });
        const speed = sla.commitments.find((c) => c.commitmentId === 'speed_to_lead');
        expect({ met: speed?.detail.met, missed: speed?.detail.missed, pending: speed?.detail.pending, median: speed?.detail.median }).toEqual({ met: 1, missed: 0, pending: 0, median: 12 });
      } finally {
        await watcher.terminate('test over');
        await handle.terminate('test over');
      }
    });
  });
});
