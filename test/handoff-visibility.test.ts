/**
 * What a handoff shows in visibility, and what it costs, on the dev server's SQLite visibility: the
 * ingress's start shows LeadStage=MQL at once (a handoff no worker has run is in the stuck queries),
 * and a handoff writes its search attributes and label where it first sits (the acceptance clock),
 * not also before its assignment. A run started without LeadStage (as before the ingress set it)
 * publishes before its assignment as it always did, so recorded histories replay unchanged.
 */
import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import proto from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { localActivityMarker } from '../bench/support/history';
import { handoffWorkflowId } from '../api/ids';
import { LEAD_SOURCE, LEAD_STAGE, OWNER_ID } from '../api/search-attributes';
import { HUBSPOT_PROPERTIES as HS } from '../mappings/crm';
import { startOrSignalHandoff } from '../worker/handoff-starter';
import { stuckInSyncWait } from '../worker/stuck-queries';
import { stateQuery, type leadHandoff } from '../workflows/handoff';
import { eventually, salesforceLeadsOf, startHandoffOf, useDevServerHarness, withHandoffWorkers } from './helpers/handoff';
import { uniqueTaskQueue } from './helpers/temporal';

const { EventType } = proto.temporal.api.enums.v1;
const harness = useDevServerHarness();

/** Starts the contact's handoff as the ingress does (worker/webhook-route.ts). */
function startAsIngress(taskQueue: string, contactId: string) {
  const observedAt = new Date().toISOString();
  return startOrSignalHandoff(harness.env().client, {
    portalId: harness.h().portalId,
    contactId,
    taskQueue,
    trigger: { source: 'webhook', observedAt, eventId: contactId },
    change: { eventId: contactId, propertyName: 'lifecyclestage', propertyValue: 'marketingqualifiedlead', occurredAt: observedAt },
  });
}

function handleOf(contactId: string): WorkflowHandle<typeof leadHandoff> {
  return harness.env().client.workflow.getHandle(handoffWorkflowId({ portalId: harness.h().portalId, contactId }));
}

async function historyOf(contactId: string) {
  return (await handleOf(contactId).fetchHistory()).events ?? [];
}

/** The history's event types up to the first one that records the alert's local activity. */
function eventsUntilAlert(contactId: string, events: Awaited<ReturnType<typeof historyOf>>): string[] {
  const types = events.map((e) => EventType[e.eventType ?? 0] ?? String(e.eventType));
  const alert = events.findIndex((e) => e.markerRecordedEventAttributes && localActivityMarker(e.markerRecordedEventAttributes)?.type === 'sendAlert');
  expect(alert, `contact ${contactId}: the alert's marker in ${types.join(', ')}`).toBeGreaterThan(0);
  return types.slice(0, alert + 1);
}

const VISIBILITY_WRITES = new Set(['EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES', 'EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED']);

describe('a handoff in visibility', () => {
  it('shows LeadStage=MQL from the ingress’s start: a handoff no worker has picked up is in the stuck-in-sync query', async () => {
    const contactId = harness.h().createMql();
    await startAsIngress(uniqueTaskQueue('nobody-polls'), contactId);
    // 21 minutes from now the default grace (20 min) is past: the query a RevOps engineer runs then.
    const query = stuckInSyncWait(new Date(Date.now() + 21 * 60_000), { portalId: harness.h().portalId });
    const ids = await eventually(async () => {
      const found: string[] = [];
      for await (const execution of harness.env().client.workflow.list({ query })) found.push(execution.workflowId);
      return found.length ? found : undefined;
    }, `${query} lists the handoff`);
    expect(ids).toEqual([handoffWorkflowId({ portalId: harness.h().portalId, contactId })]);
    await handleOf(contactId).terminate('test done');
  });

  it('writes its attributes and label once, where it first sits; a run started without LeadStage still writes before its assignment', async () => {
    await withHandoffWorkers(harness.env(), harness.h(), async ({ taskQueue }) => {
      const staged = harness.h().createMql({ company: `Staged ${randomUUID().slice(0, 6)}` });
      const legacy = harness.h().createMql();
      const missing = String(900_000_000 + Math.floor(Math.random() * 99_999_999));
      await startAsIngress(taskQueue, staged);
      await startHandoffOf(harness.env(), harness.h(), taskQueue, legacy);
      await startAsIngress(taskQueue, missing);

      for (const contactId of [staged, legacy]) {
        await eventually(async () => (await handleOf(contactId).query(stateQuery).catch(() => undefined))?.stage === 'AwaitingAcceptance', `${contactId} awaiting acceptance`);
      }
      // Staged: nothing written to visibility on the way to the alert; the acceptance clock's wait writes it all.
      const stagedEvents = eventsUntilAlert(staged, await historyOf(staged));
      expect(stagedEvents.filter((t) => VISIBILITY_WRITES.has(t))).toEqual([]);
      const owner = salesforceLeadsOf(harness.h(), staged)[0]?.fields.OwnerId;
      const source = harness.h().sandboxes.hubspot.store.value(staged, HS.leadSource);
      const company = harness.h().sandboxes.hubspot.store.value(staged, HS.company);
      expect(owner).toBe((await handleOf(staged).query(stateQuery)).ownerId);
      const shown = await eventually(async () => {
        const d = await handleOf(staged).describe();
        return d.typedSearchAttributes.get(OWNER_ID) === owner ? d : undefined;
      }, `visibility shows ${staged}'s owner`);
      expect(shown.typedSearchAttributes.get(LEAD_STAGE)).toBe('AwaitingAcceptance');
      expect(shown.typedSearchAttributes.get(LEAD_SOURCE)).toBe(source ?? 'UNKNOWN');
      expect(shown.memo).toEqual({ lead: `${company} (contact ${staged})` });
      // Read again now that visibility shows the owner: the acceptance clock's workflow task is in it.
      const history = await historyOf(staged);
      expect(history.filter((e) => e.eventType === EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES)).toHaveLength(1);
      expect(history.filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED)).toHaveLength(1);

      // Legacy: the label and stage written before the assignment is scheduled, as recorded histories have them.
      const legacyEvents = eventsUntilAlert(legacy, await historyOf(legacy));
      const assignment = legacyEvents.indexOf('EVENT_TYPE_ACTIVITY_TASK_SCHEDULED', legacyEvents.indexOf('EVENT_TYPE_ACTIVITY_TASK_SCHEDULED') + 1);
      expect(legacyEvents.slice(0, assignment).filter((t) => VISIBILITY_WRITES.has(t))).toEqual(['EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED', 'EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES']);

      // A staged handoff that ends before any transition shows the stage it ended at, not the MQL it started with.
      const result = await handleOf(missing).result();
      expect(result.outcome).toBe('contact_missing');
      const closed = await eventually(async () => {
        const d = await handleOf(missing).describe();
        return d.typedSearchAttributes.get(LEAD_STAGE) !== 'MQL' ? d : undefined;
      }, `visibility shows where ${missing} ended`);
      expect(closed.typedSearchAttributes.get(LEAD_STAGE)).toBe(result.stage);
      expect(result.stage).toBe('New');

      for (const contactId of [staged, legacy]) await handleOf(contactId).terminate('test done');
    });
  });
});
