/**
 * Every path of a handoff, run once on the time-skipping server against the sandboxes, for recording
 * their histories (test/fixtures/, RECORD_HANDOFF_HISTORY=1). Reps and calendar work around the clock,
 * so every assignment finds a rep however far a path moves time. Besides the handoffs, the portal's
 * routing queue and the deployment's contract registry are recorded as they stand after the runs.
 */
import type { WorkflowHandle } from '@temporalio/client';
import type proto from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { expect } from 'vitest';
import { contractRegistryWorkflowId } from '../api/contract-registry';
import type { HandoffOutcome, HandoffState } from '../api/handoff';
import { hotTaskQueue, routingQueueWorkflowId } from '../api/ids';
import { handoffPriority } from '../api/priority';
import { acceptUpdate, leadChangedSignal, rejectUpdate, retryUpdate, stateQuery, type leadHandoff } from '../workflows/handoff';
import { createPoolGroup, eventually, groupPool, setUserActive, skipDaysUntilContinued, startHandoffHarness, startHandoffOf, skipDay, withHandoffWorkers, type HandoffHarness } from './helpers/handoff';

export const HANDOFF_PATHS = ['accepted', 'reassigned', 'reverted', 'rejected-recyclable', 'rejected-final', 'converted', 'blocked'] as const;
export type HandoffPath = (typeof HANDOFF_PATHS)[number];
/** Long-lived workflows recorded beside the handoffs (still running when recorded). */
export const ENTITY_HISTORIES = ['routing-queue', 'contract-registry'] as const;
/**
 * A lead nobody can take for weeks (its pool, a Salesforce group, empty): the run that waited until it
 * continued as new, and the run that resumed the wait, was assigned when reps joined, and was accepted.
 */
export const CONTINUED_HISTORIES = { firstRun: 'lead-handoff-continued-first-run', resumed: 'lead-handoff-continued' } as const;
/**
 * A priority lead's handoff on the hot lane (api/ids.ts hotTaskQueue), accepted: recorded with the
 * current code, and kept as recorded before the lane made its CRM reads and assignment local
 * activities (`beforeLocalCrm`, never re-recorded): a hot lead in flight at that deploy still replays.
 */
export const HOT_LANE_HISTORIES = { current: 'lead-handoff-hot-lane', beforeLocalCrm: 'lead-handoff-hot-lane-before-local-crm' } as const;

interface ActivityType {
  name?: string | null;
}

/**
 * Makes a recorded handoff's history one whose code assigned before reading the contact (today's code
 * reads first, so its replay fails): swaps the names of its first scheduled `readContact` and
 * `assignLead`, in place. Returns the activity type now named `assignLead`, at the read's event.
 */
export function assignBeforeRead(events: ReadonlyArray<{ activityTaskScheduledEventAttributes?: { activityType?: ActivityType | null } | null }>): ActivityType {
  const scheduled = events.flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType ?? []);
  const read = scheduled.find((t) => t.name === 'readContact');
  const assign = scheduled.find((t) => t.name === 'assignLead');
  if (!read || !assign) throw new Error('the history lacks readContact or assignLead');
  [read.name, assign.name] = ['assignLead', 'readContact'];
  return read;
}

type Handle = WorkflowHandle<typeof leadHandoff>;
type History = proto.temporal.api.history.v1.IHistory;

async function awaiting(handle: Handle, reassignments = 0): Promise<HandoffState> {
  return eventually(async () => {
    const s = await handle.query(stateQuery);
    return s.stage === 'AwaitingAcceptance' && s.reassignments === reassignments ? s : undefined;
  }, `${handle.workflowId} awaiting acceptance (${reassignments} reassignments)`);
}

/** Drives one path to its end and returns the outcome it must have reached. */
async function drive(env: TestWorkflowEnvironment, h: HandoffHarness, path: HandoffPath, handle: Handle): Promise<HandoffOutcome> {
  const recyclable = h.contract.rejectionTaxonomy.find((r) => r.recyclable)?.code ?? '';
  const final = h.contract.rejectionTaxonomy.find((r) => !r.recyclable)?.code ?? '';
  const accept = async (s: HandoffState) => handle.executeUpdate(acceptUpdate, { args: [{ actor: s.ownerId ?? '', via: 'link' }] });
  switch (path) {
    case 'accepted':
      await accept(await awaiting(handle));
      return 'accepted';
    case 'reassigned': {
      await awaiting(handle);
      await env.sleep((h.contract.handoff.acceptanceWindowBusinessMinutes + 1) * 60_000);
      await accept(await awaiting(handle, 1));
      return 'accepted';
    }
    case 'reverted':
      return 'reverted_missed';
    case 'rejected-recyclable':
    case 'rejected-final': {
      const s = await awaiting(handle);
      await handle.executeUpdate(rejectUpdate, { args: [{ actor: s.ownerId ?? '', via: 'link', reason: path === 'rejected-final' ? final : recyclable }] });
      return path === 'rejected-final' ? 'disqualified' : 'reverted_rejected';
    }
    case 'converted': {
      const s = await awaiting(handle);
      await accept(s);
      const converted = h.sandboxes.salesforce.store.convertLead({ leadId: s.salesforceLeadId ?? '', convertedStatus: 'Closed - Converted', createOpportunity: true });
      h.sandboxes.salesforce.store.update('Opportunity', converted.opportunityId ?? '', { StageName: 'Closed Lost' });
      await handle.signal(leadChangedSignal, { leadId: s.salesforceLeadId ?? '', ownerId: s.ownerId, isConverted: true, modifiedAt: new Date(await env.currentTimeMs()).toISOString() });
      return 'converted';
    }
    case 'blocked': {
      // Every rep inactive in Salesforce: the assignment is refused and waits; re-activated, a retry goes through.
      await eventually(async () => (await handle.query(stateQuery)).blocked, `${handle.workflowId} Blocked`);
      await Promise.all(h.reps.map((r) => setUserActive(h, r.id, true)));
      await handle.executeUpdate(retryUpdate, { args: [{ actor: 'cli:recorder' }] });
      await accept(await awaiting(handle));
      return 'accepted';
    }
  }
}

/** Runs every path (one after another, each to its end) and returns the histories by fixture name. */
export async function recordHandoffPaths(env: TestWorkflowEnvironment, h: HandoffHarness): Promise<Map<string, History>> {
  const recorded = new Map<string, History>();
  await withHandoffWorkers(env, h, async ({ taskQueue }) => {
    for (const path of HANDOFF_PATHS) {
      if (path === 'blocked') await Promise.all(h.reps.map((r) => setUserActive(h, r.id, false)));
      const handle = await startHandoffOf(env, h, taskQueue, h.createMql());
      const expected = await drive(env, h, path, handle);
      expect((await handle.result()).outcome, path).toBe(expected);
      recorded.set(`lead-handoff-${path}`, await handle.fetchHistory());
    }
    const hot = await startHandoffOf(env, h, hotTaskQueue(taskQueue), h.createMql(), handoffPriority(h.portalId, true));
    const hotOutcome = await drive(env, h, 'accepted', hot);
    expect((await hot.result()).outcome, 'the hot lane').toBe(hotOutcome);
    recorded.set(HOT_LANE_HISTORIES.current, await hot.fetchHistory());
    recorded.set('routing-queue', await env.client.workflow.getHandle(routingQueueWorkflowId(h.portalId)).fetchHistory());
    recorded.set('contract-registry', await env.client.workflow.getHandle(contractRegistryWorkflowId(taskQueue)).fetchHistory());
  });
  return recorded;
}

/** The continued path, on a harness of its own (its contract routes through a Salesforce group). */
export async function recordContinuedPath(env: TestWorkflowEnvironment): Promise<Map<string, History>> {
  const h = await startHandoffHarness({ tweak: groupPool });
  try {
    const join = createPoolGroup(h);
    return await withHandoffWorkers(env, h, async ({ taskQueue, pool }) => {
      await eventually(() => pool.snapshot(), 'the first pool read');
      const handle = await startHandoffOf(env, h, taskQueue, h.createMql());
      await eventually(async () => (await handle.query(stateQuery)).waitingForRep, `${handle.workflowId} waits for a rep`);
      const { runs } = await skipDaysUntilContinued(env, handle);
      for (const rep of h.reps) join(rep.id);
      await eventually(() => pool.snapshot()?.members.length === h.reps.length, 'the reps joined the pool', 10_000);
      await skipDay(env, handle);
      const s = await awaiting(handle);
      await handle.executeUpdate(acceptUpdate, { args: [{ actor: s.ownerId ?? '', via: 'link' }] });
      expect((await handle.result()).outcome).toBe('accepted');
      const [first, resumed] = runs.map((runId) => env.client.workflow.getHandle(handle.workflowId, runId));
      return new Map([
        [CONTINUED_HISTORIES.firstRun, await (first ?? handle).fetchHistory()],
        [CONTINUED_HISTORIES.resumed, await (resumed ?? handle).fetchHistory()],
      ]);
    });
  } finally {
    await h.stop();
  }
}
