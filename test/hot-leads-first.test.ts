/**
 * Hot leads first, on the dev server through the real webhook ingress: 300 normal MQLs and 5 priority
 * leads (a demo request) announced at once, the hot ones in the last webhook batch. Every hot lead is
 * assigned before the 50th normal one, and the normal leads' rotation is the one a run without hot
 * leads makes: round robin from the first rep, turn after turn (hot leads rotate on their own).
 */
import { expect, it } from 'vitest';
import { mqlWebhookEvent } from '../sandbox/hubspot/mql-event';
import { signV3 } from '../worker/hubspot-signature';
import { priorityLeadsFrom } from '../worker/priority-leads';
import { routingQueueWorkflowId } from '../api/ids';
import { recentAssignmentsQuery } from '../workflows/routing-queue';
import { eventually, useDevServerHarness, withWebhookIngress } from './helpers/handoff';

const NORMAL = 300;
const HOT = 5;
/** The normal leads whose turns are checked: past the 50th, and more than one round of the reps. */
const ENOUGH_NORMAL = 60;

const harness = useDevServerHarness((contract) => {
  contract.routing.policy = 'round_robin';
});

async function announce(url: string, contactIds: string[]): Promise<void> {
  const events = contactIds.map((contactId, i) => mqlWebhookEvent({ portalId: harness.h().portalId, contactId, eventId: Date.now() * 1000 + i }));
  const body = JSON.stringify(events);
  const timestamp = String(Date.now());
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-hubspot-request-timestamp': timestamp,
      'x-hubspot-signature-v3': signV3({ clientSecret: harness.h().sandboxes.hubspot.clientSecret, method: 'POST', uri: url, rawBody: body, timestamp }),
    },
    body,
  });
  expect(response.status).toBe(200);
}

it('assigns every hot lead before the 50th normal one, and leaves the normal rotation as it is without hot leads', async () => {
  const normal = Array.from({ length: NORMAL }, () => harness.h().createMql());
  // A demo request today: the default contract's first priority predicate. Normal leads score 75.
  const hot = Array.from({ length: HOT }, () =>
    harness.h().createMql({ recent_conversion_date: new Date().toISOString(), recent_conversion_event_name: 'Request a demo', num_conversion_events: '1' }),
  );
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
