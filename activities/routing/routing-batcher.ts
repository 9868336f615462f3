/**
 * Gathers the routing questions of many handoffs on this worker into one update per batch. A batch
 * leaves at once when fewer than `maxInFlight` batches of its key (portal and rotation policy) are
 * out; questions asked meanwhile wait and leave together as the next batch, hot leads first. So a lone
 * lead never waits, and under a burst one update (one routing workflow task) serves up to
 * `maxBatchSize` leads. The server admits only a few in-flight updates per workflow
 * (history.maxInFlightUpdates, 10 by default): a worker keeps at most `maxInFlight` out per portal,
 * and `maxHotInFlight` more for hot questions only.
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
  /** Sends one batch to the portal's routing queue; answers one choice per request, in order. */
  send(portalId: string, policy: RotationPolicy, requests: RoutingRequest[]): Promise<RepChoice[]>;
}

export interface RoutingBatcher {
  ask(portalId: string, policy: RotationPolicy, request: RoutingRequest): Promise<RepChoice>;
}

interface Pending {
  request: RoutingRequest;
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
  inFlight: number;
}

export function createRoutingBatcher(options: RoutingBatcherOptions): RoutingBatcher {
  const lanes = new Map<string, Lane>();

  /** Hot questions first; the update beyond the limit carries hot questions only. Never empty. */
  const take = (lane: Lane): Pending[] => {
    const batch: Pending[] = [];
    let bytes = lane.baseBytes;
    const fill = (from: Pending[]): void => {
      let n = 0;
      for (let next = from[n]; next && batch.length < options.maxBatchSize; next = from[n]) {
        if (batch.length > 0 && updateBytesBound(bytes + next.bytes, batch.length + 1) > options.maxUpdateBytes) break;
        bytes += next.bytes;
        batch.push(next);
        n += 1;
      }
      from.splice(0, n);
    };
    fill(lane.hot);
    if (lane.inFlight < options.maxInFlight) fill(lane.normal);
    return batch;
  };

  const pump = (key: string, lane: Lane): void => {
    // Hot questions may use maxHotInFlight updates beyond the limit: they never wait for a normal batch
    // to return, and hot questions asked while one hot batch is out need not wait for it either.
    const mayLeave = (): boolean =>
      (lane.inFlight < options.maxInFlight && (lane.hot.length > 0 || lane.normal.length > 0)) ||
      (lane.inFlight < options.maxInFlight + options.maxHotInFlight && lane.hot.length > 0);
    while (mayLeave()) {
      const batch = take(lane);
      lane.inFlight += 1;
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
          lane.inFlight -= 1;
          if (!lane.inFlight && !lane.hot.length && !lane.normal.length) lanes.delete(key);
          else pump(key, lane);
        });
    }
  };

  return {
    ask(portalId, policy, request) {
      // Requests under different policies (a contract changed mid-burst) never share a batch.
      const key = `${portalId}\n${JSON.stringify(policy)}`;
      let lane = lanes.get(key);
      if (!lane) {
        lane = { portalId, policy, baseBytes: jsonBytes({ policy, requests: [] }), hot: [], normal: [], inFlight: 0 };
        lanes.set(key, lane);
      }
      const target = lane;
      const answer = new Promise<RepChoice>((resolve, reject) => (request.hot ? target.hot : target.normal).push({ request, bytes: jsonBytes(request) + 1, resolve, reject }));
      pump(key, target);
      return answer;
    },
  };
}
