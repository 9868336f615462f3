/**
 * The hot lane's workflow thread, warmed before the lane polls. Priority leads come seldom, so the
 * first of them is often the first work the lane's thread ever does: V8 then compiles the handoff's
 * code as it runs it, and the twenty demo requests of a webinar wait for each other's first
 * activations on that one thread. Replaying a recorded priority handoff on the same thread a few
 * times (the SDK's replay: no server, no CRM call, no history written) leaves the code compiled and
 * optimised before the first real lead. Measured on one thread, idle machine: the first replay of
 * the history below took 148 ms, the next ones 56–58 ms, then 34–39 ms from the fourth on. In a
 * 1,000-lead burst the demo requests' first step came 272 ms after their webhook instead of 556 ms;
 * in a 10,000-lead one, where the first step waits mostly for the server's answer to the eager start
 * rather than for compiled code, it did not move (docs/benchmarks.md).
 *
 * The history is the test suite's recording of the hot-lane path (test/handoff-replay.test.ts records
 * it here and replays it with the current code on every run), so it replays cleanly with the code it
 * ships with. A warm-up that fails (the file gone, a replay refused) is reported and the lane starts
 * cold, never not at all.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import proto from '@temporalio/proto';
import type { WorkflowBundleOption } from '@temporalio/worker';
import type { WorkflowThreadShare } from './shared-workflow-thread';
import { IGNORED_LOAD_REPORTS } from './workflow-admission';

/** A priority lead's handoff from its webhook to its acceptance, recorded on the hot lane. */
export const HOT_LANE_WARM_UP_HISTORY = fileURLToPath(new URL('./warm-up/lead-handoff-hot-lane.history.json', import.meta.url));

/** Replays per warm-up: from the fourth on a replay takes what a warm thread takes (above). */
export const HOT_LANE_WARM_UP_REPLAYS = 6;

const HistoryMessage = proto.temporal.api.history.v1.History;

export type HotLaneWarmUp = { replays: number; ms: number } | { failed: string; ms: number };

export interface HotLaneWarmUpOptions {
  /** The share whose thread runs the hot lane's Worker (created on it before). */
  thread: WorkflowThreadShare;
  /** The bundle that Worker loaded: a replay joins a thread only with the same code. */
  workflowBundle: WorkflowBundleOption;
  replays?: number;
  history?: string;
}

/**
 * Replays the recorded priority handoff `replays` times on the hot lane's thread. The fixture's JSON
 * is protobufjs's object form of the History (see test/fixtures/README.md).
 */
export async function warmHotLane(options: HotLaneWarmUpOptions): Promise<HotLaneWarmUp> {
  const started = performance.now();
  const replays = options.replays ?? HOT_LANE_WARM_UP_REPLAYS;
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const history = HistoryMessage.fromObject(JSON.parse(await readFile(options.history ?? HOT_LANE_WARM_UP_HISTORY, 'utf8')) as Record<string, unknown>);
    const histories = Array.from({ length: replays }, (_, i) => ({ workflowId: `hot-lane-warm-up-${i + 1}`, history }));
    for await (const result of options.thread.replay({ workflowBundle: options.workflowBundle, sinks: IGNORED_LOAD_REPORTS, replayName: 'hot-lane-warm-up' }, histories)) {
      if (result.error) return { failed: `${result.workflowId}: ${result.error.message}`, ms: elapsed() };
    }
    return { replays, ms: elapsed() };
  } catch (err) {
    return { failed: err instanceof Error ? err.message : String(err), ms: elapsed() };
  }
}
