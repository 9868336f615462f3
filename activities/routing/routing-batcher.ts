/**
 * Gathers the routing questions of many handoffs on this worker into one update per batch. A batch
 * leaves at once when fewer than `maxInFlight` batches of its key (portal and rotation policy) are
 * out; questions asked meanwhile wait and leave together as the next batch. So a lone lead never
 * waits, and under a burst one update (one routing workflow task) serves up to `maxBatchSize` leads.
 * The server admits only a few in-flight updates per workflow (history.maxInFlightUpdates, 10 by
 * default): a worker keeps at most `maxInFlight` out per portal, and `maxHotInFlight` more for hot
 * questions.
 *
 * Hot questions go first and alone: a batch holding one carries hot questions only, and a batch of
 * normal questions waits while a hot one is waiting or out, for one hot round trip at most (then the
 * next leaves whatever the hot lane does, so a stream of hot leads never starves the others). An
 * update is answered only when the routing workflow task that took it completes, with every update in
 * that task: a hot question riding with 200 normal ones, or in a task after them, waits for all of them.
 * Hot questions may gather briefly before they leave (`hotGatherMs`), so a webinar's demo requests,
 * asked a few ms apart, share one update instead of taking every hot update one question each.
 */
import { jsonBytes, updateBytesBound, type RotationPolicy } from '../../mappings/routing';
import type { RepChoice, RoutingRequest } from '../../api/routing';

export interface RoutingBatcherOptions {
  maxBatchSize: number;
  maxInFlight: number;
  /**
   * Updates beyond `maxInFlight` that carry hot questions only: a hot question never waits for a
   * normal batch, and for a hot one only while all of these are out.
   */
  maxHotInFlight: number;
  /**
   * The most one update may add to the queue's run (HistoryBudget.updateBytes, counted with
   * updateBytesBound): a batch stops short of it, so the queue never refuses one as too large.
   */
  maxUpdateBytes: number;
  /**
   * How long hot questions gather before their batch leaves: until none has come for this long, and
   * for at most `hotGatherMaxMs` after the first of them (0: each leaves as soon as a hot update may).
   * A webinar's demo requests reach the batcher a few ms apart: leaving one by one they took the hot
   * updates one question each, and the rest waited a whole round trip for one of them to return.
   */
  hotGatherMs?: number;
  hotGatherMaxMs?: number;
  /** Sends one batch to the portal's routing queue; answers one choice per request, in order. */
  send(portalId: string, policy: RotationPolicy, requests: RoutingRequest[]): Promise<RepChoice[]>;
}

export interface RoutingBatcher {
  ask(portalId: string, policy: RotationPolicy, request: RoutingRequest): Promise<RepChoice>;
}

interface Pending {
  request: RoutingRequest;
  /** When it was asked (Date.now()). */
  at: number;
  /** The request's bytes in the update's input (and the comma after it). */
  bytes: number;
  resolve(choice: RepChoice): void;
  reject(error: unknown): void;
}

interface Lane {
  portalId: string;
  policy: RotationPolicy;
  /** The update's input without its requests: `{"policy":…,"requests":[]}`. */
  baseBytes: number;
  hot: Pending[];
  normal: Pending[];
  /** Batches out: of normal questions, and of hot ones. */
  inFlight: number;
  hotInFlight: number;
  /** A hot batch was answered since the last normal batch left: the next normal one waits for none. */
  normalWaitedForHot: boolean;
  /** Pumps the lane when the hot questions waiting have gathered long enough. */
  gathering?: NodeJS.Timeout;
}

export function createRoutingBatcher(options: RoutingBatcherOptions): RoutingBatcher {
  const lanes = new Map<string, Lane>();

  /** The first questions waiting in `from`, up to the size and byte limits; never empty. */
  const take = (lane: Lane, from: Pending[]): Pending[] => {
    let bytes = lane.baseBytes;
    let n = 0;
    for (let next = from[n]; next && n < options.maxBatchSize; next = from[n]) {
      if (n > 0 && updateBytesBound(bytes + next.bytes, n + 1) > options.maxUpdateBytes) break;
      bytes += next.bytes;
      n += 1;
    }
    return from.splice(0, n);
  };

  const gatherMs = options.hotGatherMs ?? 0;
  const gatherMaxMs = options.hotGatherMaxMs ?? gatherMs;
  /** How long the hot questions waiting have yet to gather: 0 once they may leave. */
  const hotGatherLeft = (lane: Lane): number => {
    const [first, last] = [lane.hot[0], lane.hot.at(-1)];
    if (!first || !last || lane.hot.length >= options.maxBatchSize) return 0;
    const now = Date.now();
    return Math.max(0, Math.min(last.at + gatherMs, first.at + gatherMaxMs) - now);
  };

  const pump = (key: string, lane: Lane): void => {
    // Hot questions may use maxHotInFlight updates beyond the limit: they never wait for a normal batch
    // to return, and hot questions asked while one hot batch is out need not wait for it either.
    const out = (): number => lane.inFlight + lane.hotInFlight;
    const hotMayLeave = (): boolean => lane.hot.length > 0 && out() < options.maxInFlight + options.maxHotInFlight && hotGatherLeft(lane) === 0;
    const hotFirst = (): boolean => (lane.hot.length > 0 || lane.hotInFlight > 0) && !lane.normalWaitedForHot;
    const normalMayLeave = (): boolean => lane.normal.length > 0 && !hotFirst() && out() < options.maxInFlight;
    while (hotMayLeave() || normalMayLeave()) {
      const hot = hotMayLeave();
      const batch = take(lane, hot ? lane.hot : lane.normal);
      if (hot) lane.hotInFlight += 1;
      else {
        lane.inFlight += 1;
        lane.normalWaitedForHot = false;
      }
      options
        .send(lane.portalId, lane.policy, batch.map((p) => p.request))
        .then(
          (choices) => {
            batch.forEach((p, i) => {
              const choice = choices[i];
              if (choice) p.resolve(choice);
              else p.reject(new Error(`the routing queue answered ${choices.length} of ${batch.length} requests`));
            });
          },
          (error: unknown) => batch.forEach((p) => p.reject(error)),
        )
        .finally(() => {
          if (hot) {
            lane.hotInFlight -= 1;
            lane.normalWaitedForHot = true;
          } else lane.inFlight -= 1;
          if (!out() && !lane.hot.length && !lane.normal.length) lanes.delete(key);
          else pump(key, lane);
        });
    }
    const left = hotGatherLeft(lane);
    if (left > 0 && !lane.gathering) {
      lane.gathering = setTimeout(() => {
        lane.gathering = undefined;
        pump(key, lane);
      }, left);
    }
  };

  return {
    ask(portalId, policy, request) {
      // Requests under different policies (a contract changed mid-burst) never share a batch.
      const key = `${portalId}\n${JSON.stringify(policy)}`;
      let lane = lanes.get(key);
      if (!lane) {
        lane = { portalId, policy, baseBytes: jsonBytes({ policy, requests: [] }), hot: [], normal: [], inFlight: 0, hotInFlight: 0, normalWaitedForHot: false };
        lanes.set(key, lane);
      }
      const target = lane;
      const answer = new Promise<RepChoice>((resolve, reject) => (request.hot ? target.hot : target.normal).push({ request, at: Date.now(), bytes: jsonBytes(request) + 1, resolve, reject }));
      pump(key, target);
      return answer;
    },
  };
}
