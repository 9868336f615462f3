/**
 * Replay of the recorded histories (test/fixtures/, how to regenerate them in its README): one per
 * path of a handoff, plus the routing queue, the contract registry and the status watcher. The
 * current workflow code must make the same commands, in the same order, as the code that recorded
 * them, or every running handoff would fail on its next workflow task after a deploy. A change of
 * command sequence needs `patched()`; this test is what notices when one is missing. All histories
 * replay in one batch, against one bundle.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import proto from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { describe, expect, inject, it } from 'vitest';
import { divergenceReason, divergingEvent } from '../worker/replay/divergence';
import { assignBeforeRead, CONTINUED_HISTORIES, ENTITY_HISTORIES, HANDOFF_PATHS, HOT_LANE_HISTORIES, recordContinuedPath, recordHandoffPaths } from './handoff-paths';
import { startHandoffHarness, workAroundTheClock } from './helpers/handoff';
import { timeSkippingEnv } from './helpers/temporal';
import { IGNORED_LOAD_REPORTS } from '../worker/workflow-admission';
import { HOT_LANE_WARM_UP_HISTORY } from '../worker/hot-lane-warm-up';

const FIXTURES = new URL('./fixtures/', import.meta.url);
const SUFFIX = '.history.json';

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

/** Where each history lives: the fixtures here, and the hot lane's in the worker, which warms its thread with it. */
function fixturePath(name: string): string {
  return name === HOT_LANE_HISTORIES.current ? HOT_LANE_WARM_UP_HISTORY : fileURLToPath(new URL(`${name}${SUFFIX}`, FIXTURES));
}

function fixtures(): Map<string, History> {
  const names = [...readdirSync(FIXTURES).filter((f) => f.endsWith(SUFFIX)).map((f) => f.slice(0, -SUFFIX.length)), HOT_LANE_HISTORIES.current].sort();
  return new Map(names.map((name) => [name, HistoryMessage.fromObject(JSON.parse(readFileSync(fixturePath(name), 'utf8')) as Record<string, unknown>)]));
}

/** Replays every history in one batch; the failures by fixture name, with the event each names. */
async function replayAll(histories: Map<string, History>): Promise<Map<string, string>> {
  const failures = new Map<string, string>();
  const results = Worker.runReplayHistories(
    { workflowBundle: { codePath: inject('workflowBundlePath') }, sinks: IGNORED_LOAD_REPORTS },
    [...histories].map(([workflowId, history]) => ({ workflowId, history })),
  );
  for await (const result of results) {
    if (!result.error) continue;
    const events = histories.get(result.workflowId)?.events ?? [];
    const message = result.error.message;
    failures.set(result.workflowId, `${divergenceReason(message)} at ${divergingEvent(events, message) ?? 'an event the message does not name'}`);
  }
  return failures;
}

describe('replaying the recorded histories', () => {
  // RECORD_HANDOFF_HISTORY=1 npx vitest run test/handoff-replay.test.ts rewrites the handoff, routing and registry fixtures.
  it.runIf(process.env.RECORD_HANDOFF_HISTORY === '1')('records the history of every path', async () => {
    const [env, h] = await Promise.all([timeSkippingEnv(), startHandoffHarness({ tweak: workAroundTheClock })]);
    try {
      const recorded = new Map([...(await recordHandoffPaths(env, h)), ...(await recordContinuedPath(env))]);
      for (const [name, history] of recorded) writeFileSync(fixturePath(name), historyToFixture(history));
    } finally {
      await Promise.all([h.stop(), env.teardown()]);
    }
  }, 300_000);

  it('replays every path of a handoff, the routing queue, the contract registry and the watcher with the current workflow code', async () => {
    const histories = fixtures();
    const expected = [
      ...HANDOFF_PATHS.map((p) => `lead-handoff-${p}`),
      ...Object.values(CONTINUED_HISTORIES),
      ...Object.values(HOT_LANE_HISTORIES),
      ...ENTITY_HISTORIES,
      'status-watcher-settled-only',
    ];
    expect([...histories.keys()].sort()).toEqual([...expected].sort());
    // Each handoff path ends as the path says; the policy, alerts and contact-attempt read are local activities (markers).
    for (const path of HANDOFF_PATHS) {
      const events = histories.get(`lead-handoff-${path}`)?.events ?? [];
      expect(events.at(-1)?.workflowExecutionCompletedEventAttributes, path).toBeTruthy();
      expect(events.some((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity'), path).toBe(true);
    }
    // The continued path: a run that ends by continuing as new, and the run that resumes from its input.
    expect(histories.get(CONTINUED_HISTORIES.firstRun)?.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
    const resumed = histories.get(CONTINUED_HISTORIES.resumed)?.events ?? [];
    expect(resumed[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId).toBeTruthy();
    expect(resumed.at(-1)?.workflowExecutionCompletedEventAttributes).toBeTruthy();
    // The hot lane: before the change its contact read and assignment were task-queue activities; now
    // they are local activities, behind the patch marker that keeps the older history replaying.
    const scheduledOn = (name: string) => (histories.get(name)?.events ?? []).flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
    expect(scheduledOn(HOT_LANE_HISTORIES.beforeLocalCrm)).toEqual(expect.arrayContaining(['readContact', 'assignLead']));
    expect(scheduledOn(HOT_LANE_HISTORIES.current)).not.toContain('readContact');
    expect(scheduledOn(HOT_LANE_HISTORIES.current)).not.toContain('assignLead');
    for (const name of Object.values(HOT_LANE_HISTORIES)) {
      expect(histories.get(name)?.events?.at(-1)?.workflowExecutionCompletedEventAttributes, name).toBeTruthy();
    }
    expect(Object.fromEntries(await replayAll(histories))).toEqual({});
  });

  it('fails the replay, naming the workflow and the event, when a step is reordered', async () => {
    // The history of a workflow whose code assigned before reading the contact: today's code reads first.
    const histories = fixtures();
    const reordered = histories.get('lead-handoff-reassigned');
    const read = assignBeforeRead(reordered?.events ?? []);
    const failures = await replayAll(histories);
    expect([...failures.keys()]).toEqual(['lead-handoff-reassigned']);
    const readEvent = reordered?.events.find((e) => e.activityTaskScheduledEventAttributes?.activityType === read);
    expect(failures.get('lead-handoff-reassigned')).toBe(
      `[TMPRL1100] Nondeterminism error: Activity type of scheduled event 'assignLead' does not match activity type of activity command 'readContact' at event ${String(readEvent?.eventId)} ACTIVITY_TASK_SCHEDULED (activity assignLead)`,
    );
  });
});
