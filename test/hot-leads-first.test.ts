/**
 * Hot leads first, on the dev server through the real webhook ingress: 300 normal MQLs and 5 priority
 * leads (a demo request) announced at once, the hot ones in the last webhook batch. Every hot lead is
 * assigned before the 50th normal one, and the normal leads' rotation is the one a run without hot
 * leads makes: round robin from the first rep, turn after turn (hot leads rotate on their own). And
 * where the ingress holds a client on the workers' own connection (HANDOFF_MODE=all), a batch's
 * priority leads start eagerly, by the server's answer, and without that client none does.
 */
import { Client } from '@temporalio/client';
import { expect, it } from 'vitest';
import { HUBSPOT_PROPERTIES as HS, SALESFORCE_LEAD_FIELDS as SF } from '../mappings/crm';
import { historyEvents, localActivityMarker, scheduledActivities } from '../bench/support/history';
import { priorityLeadsFrom } from '../worker/priority-leads';
import { startOrSignalHandoff } from '../worker/handoff-starter';
import { handoffPriority } from '../api/priority';
import type { ContactRead } from '../api/handoff';
import { handoffWorkflowId, hotTaskQueue, routingQueueWorkflowId } from '../api/ids';
import { recentAssignmentsQuery } from '../workflows/routing-queue';
import type { WebhookOutcome } from '../worker/webhook-route';
import { demoRequest, eventually, salesforceLeadsOf, sendMqlWebhook, useDevServerHarness, withHandoffWorkers, withWebhookIngress } from './helpers/handoff';

const NORMAL = 300;
const HOT = 5;
/** The normal leads whose turns are checked: past the 50th, and more than one round of the reps. */
const ENOUGH_NORMAL = 60;

const harness = useDevServerHarness((contract) => {
  contract.routing.policy = 'round_robin';
});

async function announce(url: string, contactIds: string[]): Promise<WebhookOutcome> {
  const response = await sendMqlWebhook(url, harness.h(), contactIds);
  expect(response.status).toBe(200);
  return (await response.json()) as WebhookOutcome;
}

it('assigns every hot lead before the 50th normal one, and leaves the normal rotation as it is without hot leads', async () => {
  const normal = Array.from({ length: NORMAL }, () => harness.h().createMql());
  const hot = Array.from({ length: HOT }, () => harness.h().createMql(demoRequest()));
  const all = [...normal, ...hot];
  const batches = Array.from({ length: Math.ceil(all.length / 100) }, (_, i) => all.slice(i * 100, i * 100 + 100));

  const priorityLeads = priorityLeadsFrom({ hubspot: harness.h().hubspot, contract: () => harness.h().contract });
  const turns = await withWebhookIngress(harness.env(), harness.h(), { priorityLeads, productionThreads: true }, async (url) => {
    await Promise.all(batches.map((batch) => announce(url, batch)));
    const queue = harness.env().client.workflow.getHandle(routingQueueWorkflowId(harness.h().portalId));
    return eventually(
      async () => {
        const answered = await queue.query(recentAssignmentsQuery).catch(() => []);
        const assigned = answered.filter((a) => a.choice.rep);
        const hotAssigned = assigned.filter((a) => a.hot).length;
        // Enough to decide: every hot lead, and the normal ones past the 50th.
        return hotAssigned >= HOT && assigned.length - hotAssigned >= ENOUGH_NORMAL ? answered : undefined;
      },
      `all ${HOT} hot leads and ${ENOUGH_NORMAL} normal ones assigned`,
      150_000,
    );
  });

  // Request ids are `handoff:<portal>:<contact>:<reassignment>:<attempt>`.
  const byContact = new Map(turns.map((a) => [a.requestId.split(':')[2] ?? '', a]));
  const turnOf = (contactId: string): { turn: number; repId: string; hot: boolean } => {
    const answer = byContact.get(contactId);
    if (!answer?.choice.rep) throw new Error(`contact ${contactId} has no assignment`);
    return { turn: answer.choice.turn, repId: answer.choice.rep.id, hot: answer.hot };
  };
  const normalInOrder = normal.filter((c) => byContact.get(c)?.choice.rep).map(turnOf).sort((a, b) => a.turn - b.turn);
  expect(normalInOrder.length).toBeGreaterThanOrEqual(ENOUGH_NORMAL);
  const hotTurns = hot.map(turnOf);

  expect(hotTurns.every((t) => t.hot)).toBe(true);
  expect(normalInOrder.some((t) => t.hot)).toBe(false);
  const fiftiethNormal = normalInOrder[49]?.turn ?? 0;
  expect(Math.max(...hotTurns.map((t) => t.turn))).toBeLessThan(fiftiethNormal);

  // Without hot leads, a fresh round-robin queue gives the reps turns in contract order, from the first.
  const reps = harness.h().contract.routing.reps.map((r) => r.id);
  expect(normalInOrder.map((t) => t.repId)).toEqual(normalInOrder.map((_, i) => reps[i % reps.length]));
}, 200_000);

it('starts a batch of 20 priority leads eagerly on the hot lane when the ingress shares the workers\' connection, and they are assigned', async () => {
  const normal = Array.from({ length: 3 }, () => harness.h().createMql());
  // A webinar's demo requests in one webhook batch: each eager start needs a free slot on the lane.
  const hot = Array.from({ length: 20 }, () => harness.h().createMql(demoRequest()));
  const priorityLeads = priorityLeadsFrom({ hubspot: harness.h().hubspot, contract: () => harness.h().contract });
  const env = harness.env();
  // As startBridge builds it with HANDOFF_MODE=all: the workers' own NativeConnection.
  const hotLaneClient = new Client({ connection: env.nativeConnection, namespace: env.namespace ?? 'default' });
  const outcome = await withWebhookIngress(env, harness.h(), { priorityLeads, hotLaneClient }, async (url) => {
    const answered = await announce(url, [...normal, ...hot]);
    await eventually(() => [...normal, ...hot].every((id) => salesforceLeadsOf(harness.h(), id)[0]?.fields[SF.assignedAt]), 'every lead assigned in Salesforce', 60_000);
    return answered;
  });
  // The server's own answer to each start (its eager workflow task): every hot lead, none of the others.
  expect(outcome).toEqual({ handoffs: 23, eagerlyStarted: 20, signalled: 0, ignored: 0 });
  // The ingress's read that found them hot is their first read: no hot lead reads HubSpot on its way
  // to the rep (its steps there are local activities), while a normal lead reads the contact itself.
  for (const contactId of hot) expect(await localActivitiesUntil(contactId, 'assignLead'), contactId).toEqual(['loadPolicy', 'assignLead']);
  const normalSteps = await scheduledActivities(env.client, handoffWorkflowId({ portalId: harness.h().portalId, contactId: normal[0] ?? '' }));
  expect(normalSteps.map((a) => a.type)).toContain('readContact');
}, 90_000);

it('reads the contact itself when the ingress read it for another contract version, and takes the ingress\'s read when it is of its own', async () => {
  const [current, stale] = [harness.h().createMql(demoRequest()), harness.h().createMql(demoRequest())];
  // The ingress's reads, marked so that each handoff's label shows which read it took.
  const reads = await priorityLeadsFrom({ hubspot: harness.h().hubspot, contract: () => harness.h().contract })([current, stale]);
  const ingressRead = (contactId: string, contractHash?: string): ContactRead => {
    const read = reads.get(contactId);
    if (!read) throw new Error(`contact ${contactId} was not read as a priority lead`);
    return { contractHash: contractHash ?? read.contractHash, contact: { ...read.contact, properties: { ...read.contact.properties, [HS.company]: 'As The Ingress Read It' } } };
  };
  const labels = await withHandoffWorkers(harness.env(), harness.h(), async ({ taskQueue }) => {
    const start = (contactId: string, contactRead: ContactRead) =>
      startOrSignalHandoff(harness.env().client, {
        portalId: harness.h().portalId,
        contactId,
        taskQueue: hotTaskQueue(taskQueue),
        priority: handoffPriority(harness.h().portalId, true),
        trigger: { source: 'webhook', observedAt: new Date().toISOString(), eventId: `e-${contactId}` },
        change: { eventId: `e-${contactId}`, propertyName: HS.lifecycleStage, propertyValue: 'marketingqualifiedlead', occurredAt: new Date().toISOString() },
        contactRead,
      });
    await start(current, ingressRead(current));
    await start(stale, ingressRead(stale, 'c-0000000000000000'));
    await eventually(() => [current, stale].every((id) => salesforceLeadsOf(harness.h(), id)[0]?.fields[SF.assignedAt]), 'both leads assigned in Salesforce', 60_000);
    // Upserted in the workflow task that also assigns (on the hot lane): visible once that task completes.
    const labelOf = (contactId: string) =>
      eventually(async () => (await harness.env().client.workflow.getHandle(handoffWorkflowId({ portalId: harness.h().portalId, contactId })).describe()).memo?.lead, `the label of contact ${contactId}`);
    return { current: await labelOf(current), stale: await labelOf(stale) };
  });
  expect(await localActivitiesUntil(current, 'assignLead')).toEqual(['loadPolicy', 'assignLead']);
  expect(labels.current).toBe(`As The Ingress Read It (contact ${current})`);
  expect(await localActivitiesUntil(stale, 'assignLead')).toEqual(['loadPolicy', 'readContact', 'assignLead']);
  expect(labels.stale).toBe(`${harness.h().sandboxes.hubspot.store.value(stale, HS.company)} (contact ${stale})`);
}, 60_000);

/** The local activities a handoff ran, in order, up to and including the first of type `until`. */
async function localActivitiesUntil(contactId: string, until: string): Promise<string[]> {
  const events = await historyEvents(harness.env().client, handoffWorkflowId({ portalId: harness.h().portalId, contactId }));
  const types = events.flatMap((e) => {
    const marker = e.markerRecordedEventAttributes ? localActivityMarker(e.markerRecordedEventAttributes) : undefined;
    return marker ? [marker.type ?? '?'] : [];
  });
  const end = types.indexOf(until);
  return end < 0 ? types : types.slice(0, end + 1);
}

it('starts priority leads the ordinary way when the ingress has no client on the workers\' connection', async () => {
  const hot = [harness.h().createMql(demoRequest())];
  const priorityLeads = priorityLeadsFrom({ hubspot: harness.h().hubspot, contract: () => harness.h().contract });
  const outcome = await withWebhookIngress(harness.env(), harness.h(), { priorityLeads }, async (url) => {
    const answered = await announce(url, hot);
    await eventually(() => salesforceLeadsOf(harness.h(), hot[0] ?? '')[0]?.fields[SF.assignedAt], 'the hot lead assigned in Salesforce', 60_000);
    return answered;
  });
  expect(outcome).toEqual({ handoffs: 1, eagerlyStarted: 0, signalled: 0, ignored: 0 });
}, 60_000);
