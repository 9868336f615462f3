/**
 * Replay of a recorded handoff history (test/fixtures/, how to regenerate it in its README): the
 * current leadHandoff code must make the same commands, in the same order, as the code that recorded
 * it, or every running handoff would fail on its next workflow task after a deploy. A change of
 * command sequence needs `patched()`; this test is what notices when one is missing.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import proto from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { DateTime } from 'luxon';
import { describe, expect, inject, it } from 'vitest';
import { acceptUpdate, leadHandoff } from '../workflows/handoff';
import { handoffWorkflowId } from '../api/ids';
import { startHandoffHarness, withHandoffWorkers } from './helpers/handoff';
import { timeSkippingEnv } from './helpers/temporal';

const ACCEPTED_HISTORY = new URL('./fixtures/lead-handoff-accepted.history.json', import.meta.url);

/**
 * The fixture's JSON is protobufjs's object form of the History (int64, enums and bytes as strings),
 * not the CLI's protojson: the SDK's historyToJSON/historyFromJSON throw "type must be a Type" in this
 * install (see test/fixtures/README.md), so the conversion stays within @temporalio/proto's own types.
 */
const HistoryMessage = proto.temporal.api.history.v1.History;
type History = proto.temporal.api.history.v1.History;

function historyToFixture(history: proto.temporal.api.history.v1.IHistory): string {
  const object = HistoryMessage.toObject(HistoryMessage.fromObject(history), { longs: String, enums: String, bytes: String });
  return `${JSON.stringify(object, null, 1)}\n`;
}

function replay(history: History): Promise<void> {
  return Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') } }, history);
}

function recordedHistory(): History {
  return HistoryMessage.fromObject(JSON.parse(readFileSync(ACCEPTED_HISTORY, 'utf8')) as Record<string, unknown>);
}

/** Runs the happy path (assigned Monday 10:00, accepted by link) and returns its history as fixture JSON. */
async function recordAcceptedHandoff(env: TestWorkflowEnvironment): Promise<string> {
  const h = await startHandoffHarness();
  try {
    const now = DateTime.fromMillis(await env.currentTimeMs(), { zone: 'Europe/London' });
    let monday = now.set({ hour: 10, minute: 0, second: 0, millisecond: 0 });
    while (monday.weekday !== 1 || monday <= now) monday = monday.plus({ days: 1 });
    await env.sleep(monday.toMillis() - now.toMillis());
    return await withHandoffWorkers(env, h, async ({ taskQueue }) => {
      const contactId = h.createMql();
      const handle = await env.client.workflow.start(leadHandoff, {
        taskQueue,
        workflowId: handoffWorkflowId({ portalId: h.portalId, contactId }),
        args: [{ portalId: h.portalId, contactId, trigger: { source: 'webhook', observedAt: monday.toISO() ?? '' } }],
      });
      await h.inbox.waitFor((alerts) => alerts.length === 1);
      await handle.executeUpdate(acceptUpdate, { args: [{ actor: h.reps[0]?.id ?? 'rep', via: 'link' }] });
      expect((await handle.result()).outcome).toBe('accepted');
      return historyToFixture(await handle.fetchHistory());
    });
  } finally {
    await h.stop();
  }
}

describe('replaying a recorded handoff', () => {
  // RECORD_HANDOFF_HISTORY=1 npx vitest run test/handoff-replay.test.ts rewrites the fixture.
  it.runIf(process.env.RECORD_HANDOFF_HISTORY === '1')('records the history of an accepted handoff', async () => {
    const env = await timeSkippingEnv();
    try {
      writeFileSync(ACCEPTED_HISTORY, await recordAcceptedHandoff(env));
    } finally {
      await env.teardown();
    }
  });

  it('replays the recorded accepted handoff with the current workflow code', async () => {
    const history = recordedHistory();
    const events = history.events ?? [];
    const types = events.map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name).filter(Boolean);
    // The fixture covers the whole happy path, from qualification to the contact-attempt check; the
    // policy, the alert and the contact-attempt read are local activities, recorded as markers.
    expect(types).toEqual(expect.arrayContaining(['readContact', 'assignLead', 'writeContact', 'updateLead']));
    expect(events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity').length).toBe(3);
    expect(events.at(-1)?.workflowExecutionCompletedEventAttributes).toBeTruthy();
    await replay(history);
  });

  it('fails the replay when the code schedules other commands than the history recorded', async () => {
    // The history of a workflow whose code assigned before reading the contact: today's code reads first.
    const history = recordedHistory();
    const scheduled = (history.events ?? []).map((e) => e.activityTaskScheduledEventAttributes?.activityType).filter((t) => t !== undefined && t !== null);
    const read = scheduled.find((t) => t.name === 'readContact');
    const assign = scheduled.find((t) => t.name === 'assignLead');
    if (!read || !assign) throw new Error('fixture lacks readContact or assignLead');
    [read.name, assign.name] = ['assignLead', 'readContact'];
    const failure = await replay(history).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(DeterminismViolationError);
    expect((failure as Error).message).toContain("Activity type of scheduled event 'assignLead' does not match activity type of activity command 'readContact'");
  });
});
