/**
 * Capacity caps and routing waits on the real time-skipping server, against the sandboxes: a capped
 * rep is skipped (and stays capped across a worker restart), a lead that finds every rep capped waits
 * and is served in the queue's very workflow task that processes a release, and a lead arriving on
 * Friday evening sleeps to the pool's Monday start in a handful of history events.
 */
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DateTime } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import type { HandoffState } from '../api/handoff';
import { routingQueueWorkflowId } from '../api/ids';
import { acceptUpdate, stateQuery, type leadHandoff } from '../workflows/handoff';
import { routingLoadQuery } from '../workflows/routing-queue';
import { eventually, skipToLondon, startHandoffHarness, startHandoffOf, withHandoffWorkers, workAroundTheClock, type HandoffHarness } from './helpers/handoff';
import { devServerEnv, timeSkippingEnv, uniqueTaskQueue } from './helpers/temporal';

let env: TestWorkflowEnvironment;
let h: HandoffHarness;

afterEach(async () => {
  await Promise.all([h?.stop(), env?.teardown()]);
});

async function start(tweak: (contract: HandoffHarness['contract']) => void): Promise<void> {
  [env, h] = await Promise.all([timeSkippingEnv(), startHandoffHarness({ tweak })]);
}

/** Starts a handoff and waits (real time) until it has an owner or waits for one. */
async function handOff(taskQueue: string): Promise<{ handle: WorkflowHandle<typeof leadHandoff>; state: HandoffState }> {
  const handle = await startHandoffOf(env, h, taskQueue, h.createMql());
  const state = await eventually(async () => {
    const s = await handle.query(stateQuery);
    return s.stage === 'AwaitingAcceptance' || s.waitingForRep ? s : undefined;
  }, 'the lead is assigned or waits');
  return { handle, state };
}

const notes = (state: HandoffState, pattern: RegExp) => state.timeline.filter((t) => t.event === 'note' && pattern.test(t.detail ?? ''));

describe('capacity caps', () => {
  // On the shared dev server (real time, every rep around the clock): the time-skipping server never
  // moves a stopped worker's sticky workflow task back to the normal queue, so a restart stalls there.
  it('skips a rep at their daily cap for the next rep, and a worker restart keeps the count', async () => {
    [env, h] = await Promise.all([
      devServerEnv(),
      startHandoffHarness({
        tweak: (c) => {
          workAroundTheClock(c);
          c.routing.policy = 'round_robin';
          c.routing.reps[0]!.capacity = { maxNewPerDay: 1 };
        },
      }),
    ]);
    const [r0, r1, r2] = h.reps.map((r) => r.id);
    const taskQueue = uniqueTaskQueue('capacity');
    const started: WorkflowHandle[] = [];
    const first = await withHandoffWorkers(
      env,
      h,
      async () => {
        const owners: Array<string | undefined> = [];
        for (let i = 0; i < 3; i++) {
          const { handle, state } = await handOff(taskQueue);
          started.push(handle);
          owners.push(state.ownerId);
        }
        return owners;
      },
      { taskQueue },
    );
    expect(first).toEqual([r0, r1, r2]);

    // New workers (a restart: the routing queue replays on a fresh worker): the ring comes back to
    // Jordan, who already had their one lead today, so the lead goes to the next rep.
    const queue = env.client.workflow.getHandle(routingQueueWorkflowId(h.portalId));
    const [fourth, loads] = await withHandoffWorkers(env, h, async () => [await handOff(taskQueue), await queue.query(routingLoadQuery)] as const, { taskQueue });
    expect(fourth.state.ownerId).toBe(r1);
    expect(notes(fourth.state, /capacity: Jordan Lee skipped: at daily cap \(1\/1 new leads today\)/)).toHaveLength(1);

    const today = (id: string | undefined) => DateTime.now().setZone(h.reps.find((r) => r.id === id)?.timeZone ?? 'UTC').toISODate();
    expect(loads[r0 ?? '']).toMatchObject({ day: today(r0), newToday: 1 });
    expect(loads[r1 ?? '']).toMatchObject({ day: today(r1), newToday: 2 });
    // The shared server keeps no leftovers running.
    await Promise.all([queue, fourth.handle, ...started].map((handle) => handle.terminate('test done')));
  });

  it('lets a lead wait when every rep is capped, and serves it in the workflow task of the release', async () => {
    await start((c) => {
      c.routing.policy = 'round_robin';
      c.routing.reps = c.routing.reps.slice(0, 2);
      c.routing.capacity = { maxAwaiting: 1 };
    });
    const [r0, r1] = h.reps.map((r) => r.id);
    await skipToLondon(env, 1, '11:00');
    await withHandoffWorkers(env, h, async ({ taskQueue }) => {
      const a = await handOff(taskQueue);
      const b = await handOff(taskQueue);
      expect([a.state.ownerId, b.state.ownerId]).toEqual([r0, r1]);

      const waiting = await handOff(taskQueue);
      expect(waiting.state.stage).toBe('MQL');
      expect(waiting.state.waitingForRep).toMatchObject({ kind: 'capacity' });
      expect(waiting.state.waitingForRep?.reason).toMatch(/at cap of leads awaiting acceptance \(1\/1\)/);
      const attributes = await eventually(async () => {
        const sa = (await waiting.handle.describe()).searchAttributes;
        return sa.LeadStage?.[0] === 'Routing' ? sa : undefined;
      }, 'LeadStage=Routing is published');
      expect(attributes.RoutingWait).toEqual(['capacity']);

      await a.handle.executeUpdate(acceptUpdate, { args: [{ actor: r0 ?? '', via: 'link' }] });
      const served = await eventually(async () => {
        const s = await waiting.handle.query(stateQuery);
        return s.stage === 'AwaitingAcceptance' ? s : undefined;
      }, 'the waiting lead is assigned');
      expect(served.ownerId).toBe(r0);
      expect(served.waitingForRep).toBeUndefined();
      // One wait, no polling: a single "waiting for a slot" note.
      expect(notes(served, /waiting for a slot/)).toHaveLength(1);

      // In the queue's history, the workflow task that handles the release signal is the one that
      // signals the waiting handoff: no timer, no second task in between.
      const events = (await env.client.workflow.getHandle(routingQueueWorkflowId(h.portalId)).fetchHistory()).events ?? [];
      const released = events.findIndex((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'releaseSlot');
      expect(released).toBeGreaterThan(0);
      const nextTaskCompleted = events.findIndex((e, i) => i > released && e.workflowTaskCompletedEventAttributes);
      const told = events.findIndex((e) => e.signalExternalWorkflowExecutionInitiatedEventAttributes?.signalName === 'slotReserved');
      expect(told).toBe(nextTaskCompleted + 1);
      expect(events[told]?.signalExternalWorkflowExecutionInitiatedEventAttributes?.workflowExecution?.workflowId).toBe(waiting.handle.workflowId);
    });
  });
});

describe('no rep working now', () => {
  it('sleeps from Friday evening to the pool\'s Monday start in a handful of history events', async () => {
    await start((c) => {
      c.handoff.reassignLimit = 0;
    });
    const arrival = await skipToLondon(env, 5, '19:00');
    await withHandoffWorkers(env, h, async ({ taskQueue }) => {
      const { handle, state } = await handOff(taskQueue);
      expect(state.waitingForRep).toMatchObject({ kind: 'off_hours' });
      // The earliest rep back is Tom Becker: Monday 08:30 in Berlin (07:30 in London in December).
      const monday = arrival.setZone('Europe/Berlin').plus({ days: 3 }).set({ hour: 8, minute: 30 });
      expect(monday.weekday).toBe(1);
      expect(state.waitingForRep?.retryAt).toBe(monday.toUTC().toISO({ suppressMilliseconds: false }));

      const result = await handle.result();
      // Assigned as the timer fires (the time-skipping clock runs a few milliseconds past it).
      const assignedAt = Date.parse(result.marks.firstAssignedAt ?? '');
      expect(assignedAt - monday.toMillis()).toBeGreaterThanOrEqual(0);
      expect(assignedAt - monday.toMillis()).toBeLessThan(1000);
      const events = (await handle.fetchHistory()).events ?? [];
      const assignLeads = events.flatMap((e, i) => (e.activityTaskScheduledEventAttributes?.activityType?.name === 'assignLead' ? [i] : []));
      // One try on Friday, one on Monday: the weekend between them is a few events, not a retry every 15 minutes.
      expect(assignLeads).toHaveLength(2);
      const weekend = assignLeads[1]! - assignLeads[0]!;
      expect(weekend).toBeLessThanOrEqual(30);
      expect(events.filter((e) => e.timerStartedEventAttributes).length).toBeLessThanOrEqual(6);
    });
  });
});

describe('the pool from Salesforce', () => {
  it('drops a rep deactivated in Salesforce at the next read: no new lead, while their open handoff still breaches on time', async () => {
    await start((c) => {
      c.routing.policy = 'round_robin';
      c.routing.reps = c.routing.reps.slice(0, 2);
      c.handoff.reassignLimit = 1;
      // Read every 1.2 s (real time) so the test sees the next scheduled read quickly.
      c.routing.pool = { salesforceGroup: 'Inbound_SDRs', outOfOfficeField: 'Out_Of_Office__c', refreshMinutes: 0.02 };
    });
    const sf = h.sandboxes.salesforce.store;
    const group = sf.create('Group', { Name: 'Inbound SDRs', DeveloperName: 'Inbound_SDRs', Type: 'Regular' });
    for (const rep of h.reps) sf.create('GroupMember', { GroupId: group.id, UserOrGroupId: rep.id });
    const [r0, r1] = h.reps.map((r) => r.id);
    await skipToLondon(env, 1, '10:00');
    await withHandoffWorkers(env, h, async ({ taskQueue, pool }) => {
      const a = await handOff(taskQueue);
      const b = await handOff(taskQueue);
      expect([a.state.ownerId, b.state.ownerId]).toEqual([r0, r1]);

      sf.update('User', r0 ?? '', { IsActive: false });
      await eventually(() => pool.snapshot()?.members.some((m) => m.id.startsWith((r0 ?? '').slice(0, 15)) && !m.isActive), 'the next read sees the deactivation', 10_000);
      expect(pool.changes().map((c) => c.change)).toContainEqual(expect.stringMatching(/deactivated in Salesforce/));

      // The ring would come back to Jordan: deactivated, they get no new lead.
      const c = await handOff(taskQueue);
      expect(c.state.ownerId).toBe(r1);

      // Jordan's open handoff keeps its clock: breached at its deadline, reassigned to the pool's rep.
      const deadline = Date.parse(a.state.deadline ?? '');
      await a.handle.result();
      const after = await a.handle.query(stateQuery);
      const missed = after.timeline.find((t) => t.event === 'note' && t.detail === `acceptance window missed by ${r0}`);
      const reassigned = after.timeline.find((t) => t.event === 'reassigned');
      expect(Date.parse(missed?.at ?? '') - deadline).toBeLessThan(1000);
      expect(Date.parse(missed?.at ?? '')).toBeGreaterThanOrEqual(deadline);
      expect(reassigned?.detail).toMatch(new RegExp(`^owner ${r1}`));
    });
  });
});
