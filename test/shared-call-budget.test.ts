/**
 * One CRM call budget across replicas: two "worker processes" (each its own adapters and its own
 * budget holder, as two pods would have) call HubSpot flat out through the real adapters, leasing
 * from the keeper workflow on the shared dev server. HubSpot's traffic is stamped as it crosses the
 * wire, and the busiest window is counted here, from those stamps. With per-process budgets the two
 * together make twice the budget in a window; shared, they stay within it — reconciliation's history
 * reads included.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getEventListeners } from 'node:events';
import type { CallBudgetLimit } from '../activities/crm';
import { createHubSpotAdapter, createSharedCallBudget } from '../activities/crm';
import { createReconcileReadsAdapter } from '../activities/reconcile';
import { startHubSpotSandbox, startSalesforceSandbox, type HubSpotSandbox, type SalesforceSandbox } from '../sandbox';
import { startTrafficRecorder, type TrafficRecorder } from '../bench/support/traffic-recorder';
import { createSharedBudgets, keeperLease, type SharedBudgets } from '../worker/shared-call-budgets';
import { hotTaskQueue, routingTaskQueue } from '../api/ids';
import { MockActivityEnvironment } from '@temporalio/testing';
import { grantCalls, initialKeeperState, type KeeperState } from '../mappings/crm';
import { devServerEnv, uniqueTaskQueue, withWorker } from './helpers/temporal';

/** A short window keeps the test to seconds; the keeper's arithmetic is the same for 10 s. */
const LIMIT: CallBudgetLimit = { calls: 8, perMs: 1_000 };
/**
 * The portal's own limit, above the budget as in production (150 under HubSpot's 190): calls are
 * counted as they arrive, a loaded machine's event loop delays some, and two per-process budgets
 * (16 a window) would still far exceed it.
 */
const PORTAL_LIMIT = 10;
const CALLS_PER_PROCESS = 12;

/** The most stamps in any half-open window [t, t + windowMs) starting at a stamp. */
function busiestWindow(stamps: number[], windowMs: number): number {
  const sorted = [...stamps].sort((a, b) => a - b);
  let busiest = 0;
  for (const start of sorted) busiest = Math.max(busiest, sorted.filter((t) => t >= start && t < start + windowMs).length);
  return busiest;
}

describe('a CRM call budget shared by two worker processes', () => {
  let hubspot: HubSpotSandbox;
  let salesforce: SalesforceSandbox;
  let recorder: TrafficRecorder;
  let contactIds: string[];

  beforeAll(async () => {
    // The sandbox enforces the portal's limit: a call over it would come back 429 and fail the test too.
    hubspot = await startHubSpotSandbox({ searchLagMs: 0, rateLimits: { tenSecondly: PORTAL_LIMIT, windowMs: LIMIT.perMs } });
    salesforce = await startSalesforceSandbox();
    recorder = await startTrafficRecorder(hubspot.baseUrl);
    contactIds = Array.from({ length: 120 }, (_, i) => hubspot.store.createContact({ email: `shared${i}@acme.example`, lifecyclestage: 'lead' }).id);
  });
  afterAll(async () => {
    await recorder?.close();
    await hubspot?.stop();
    await salesforce?.stop();
  });

  it('keeps the busiest window at HubSpot within the budget, live reads and a reconciliation together', async () => {
    const env = await devServerEnv();
    const taskQueue = uniqueTaskQueue('shared-budget');
    // Separate portals per run: the keeper is per portal, and the dev server outlives this test.
    const portalId = `p${Date.now()}`;
    const processes: SharedBudgets[] = [];
    try {
      // The keeper runs on the routing queue, which every worker process serves.
      await withWorker(env, { taskQueue: routingTaskQueue(taskQueue) }, async () => {
        const replica = () => {
          const budgets = createSharedBudgets({ client: env.client, taskQueue, portalId, hubspot: LIMIT, salesforce: { calls: 100, perMs: 1_000 } });
          processes.push(budgets);
          return {
            live: createHubSpotAdapter({ accessToken: hubspot.accessToken, basePath: recorder.url, budget: budgets.hubspot }),
            reads: createReconcileReadsAdapter({
              hubspot: { accessToken: hubspot.accessToken, basePath: recorder.url },
              salesforce: { instanceUrl: salesforce.instanceUrl, loginUrl: salesforce.instanceUrl, clientId: salesforce.clientId, clientSecret: salesforce.clientSecret },
              budgets,
            }),
          };
        };
        const [first, second] = [replica(), replica()];
        if (!first || !second) throw new Error('two replicas expected');
        recorder.reset();
        const started = Date.now();
        const outcomes = await Promise.allSettled([
          // Live traffic in both processes: one request each (getContacts is one batch read).
          ...Array.from({ length: CALLS_PER_PROCESS }, (_, i) => first.live.getContacts({ contactIds: [contactIds[i] ?? ''], properties: ['email'] })),
          ...Array.from({ length: CALLS_PER_PROCESS / 4 }, (_, i) => second.live.getContacts({ contactIds: [contactIds[i] ?? ''], properties: ['email'] })),
          // A reconciliation's history reads in the second: 120 contacts, 50 a request, so 3 requests, 3 times over.
          ...Array.from({ length: CALLS_PER_PROCESS / 4 }, () => second.reads.contactHistories({ contactIds, properties: ['lifecyclestage'] })),
        ]);
        const elapsedMs = Date.now() - started;
        expect(outcomes.flatMap((o) => (o.status === 'rejected' ? [String(o.reason)] : []))).toEqual([]);
        const stamps = recorder.calls.map((c) => c.at);
        // Every call made, over more than one window: the budget was the bottleneck, and it held.
        expect(stamps).toHaveLength(2 * CALLS_PER_PROCESS);
        expect(elapsedMs).toBeGreaterThan(LIMIT.perMs);
        expect(recorder.calls.filter((c) => c.status === 429)).toEqual([]);
        expect(busiestWindow(stamps, LIMIT.perMs)).toBeLessThanOrEqual(PORTAL_LIMIT);
      });
    } finally {
      await Promise.all(processes.map((p) => p.stop()));
    }
  });
});

describe('a budget holder leasing for a long time', () => {
  it('leaves nothing of a finished lease behind on the Temporal client, and aborts the lease in flight on stop', async () => {
    const env = await devServerEnv();
    const taskQueue = uniqueTaskQueue('lease-signals');
    const lease = keeperLease(env.client, { taskQueue, system: 'hubspot', portalId: `p${Date.now()}`, limit: LIMIT });
    const signals: AbortSignal[] = [];
    let hang = false;
    await withWorker(env, { taskQueue: routingTaskQueue(taskQueue) }, async () => {
      // Renewing every 5 ms: a budget's hours of renewals (every 1.5 s) in a second.
      const budget = createSharedCallBudget({
        limit: LIMIT,
        renewEveryMs: 5,
        lease: async (request, signal) => {
          signals.push(signal);
          if (hang) {
            await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
            throw new Error('lease aborted');
          }
          return lease(request, signal);
        },
      });
      await budget.run(async () => undefined);
      const deadline = Date.now() + 30_000;
      while (signals.length < 30 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      hang = true;
      const finished = signals.length;
      while (signals.length === finished && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
      const inFlight = signals.at(-1);
      await budget.stop();
      expect(finished).toBeGreaterThanOrEqual(30);
      // The client listens on the signal of every call it makes, and never lets go: a signal shared by
      // the leases would hold all 30 calls (and the buffers their answers were read into).
      const listening = signals.slice(0, finished).map((s) => getEventListeners(s, 'abort').length);
      expect(Math.max(...listening)).toBeLessThanOrEqual(1);
      expect(signals.slice(0, finished).filter((s) => s.aborted)).toEqual([]);
      expect(inFlight?.aborted).toBe(true);
    });
  });
});

describe("a budget's timings", () => {
  it('reports each lease with its outcome, and each wait for a call, a priority lead\'s marked urgent', async () => {
    const leases: Array<[number, string]> = [];
    const waits: Array<[number, boolean]> = [];
    let failNext = true;
    const budget = createSharedCallBudget({
      limit: LIMIT,
      // The keeper answers after 60 ms, every epoch it was asked for, with calls to spare.
      lease: async (request) => {
        await new Promise((resolve) => setTimeout(resolve, 60));
        if (failNext) {
          failNext = false;
          throw new Error('keeper unreachable');
        }
        return Array.from({ length: request.throughEpoch - request.fromEpoch + 1 }, (_, i): [number, number] => [request.fromEpoch + i, 1_000]);
      },
      observe: { leased: (ms, outcome) => leases.push([ms, outcome]), waited: (ms, urgent) => waits.push([ms, urgent]) },
    });
    try {
      // No grant in hand: the first request waits for a failed lease, the retry 500 ms later, and its answer.
      await budget.run(async () => undefined);
      // A priority lead's call (a local activity on the hot lane), with grants in hand now.
      await new MockActivityEnvironment({ isLocal: true, taskQueue: hotTaskQueue('q') }).run(() => budget.run(async () => undefined));
    } finally {
      await budget.stop();
    }
    expect(leases.map(([, outcome]) => outcome).slice(0, 2)).toEqual(['failed', 'granted']);
    for (const [ms] of leases.slice(0, 2)) expect(ms).toBeGreaterThanOrEqual(55);
    expect(waits.map(([, urgent]) => urgent)).toEqual([false, true]);
    expect(waits[0]?.[0]).toBeGreaterThanOrEqual(55 + 500 + 55);
    expect(waits[1]?.[0]).toBeLessThan(50);
  });
});

describe('the keeper\'s grants', () => {
  it('never put more than the budget in any window, whoever asks, and share it between busy holders', () => {
    // 10 calls per 1 s: epochs of 50 ms, so any window of 1 s overlaps at most 21 epochs.
    const limit = { calls: 10, perMs: 1_000 };
    let state: KeeperState = initialKeeperState(limit);
    const granted = new Map<number, number>();
    const perHolder = new Map<string, number>();
    // Three holders renewing out of step, 40 epochs ahead, one of them joining late and one idle.
    for (let step = 0; step < 300; step += 1) {
      const holder = ['a', 'b', 'c'][step % 3] ?? 'a';
      if (holder === 'c' && step < 120) continue;
      const fromEpoch = 1_000 + step;
      const answer = grantCalls(state, { holder, busy: holder !== 'c', fromEpoch, throughEpoch: fromEpoch + 40 });
      state = answer.state;
      for (const [epoch, calls] of answer.grants) {
        granted.set(epoch, (granted.get(epoch) ?? 0) + calls);
        perHolder.set(holder, (perHolder.get(holder) ?? 0) + calls);
      }
    }
    const epochs = [...granted.keys()].sort((x, y) => x - y);
    const first = epochs[0] ?? 0;
    const last = epochs.at(-1) ?? 0;
    let fullest = 0;
    for (let start = first - 21; start <= last; start += 1) {
      let sum = 0;
      for (let e = start; e < start + 21; e += 1) sum += granted.get(e) ?? 0;
      fullest = Math.max(fullest, sum);
    }
    expect(fullest).toBe(limit.calls);
    // The two busy holders share alike; the idle one keeps a little.
    const a = perHolder.get('a') ?? 0;
    const b = perHolder.get('b') ?? 0;
    expect(Math.abs(a - b) / Math.max(a, b)).toBeLessThan(0.25);
    expect(perHolder.get('c') ?? 0).toBeGreaterThan(0);
    expect(perHolder.get('c') ?? 0).toBeLessThan(a);
  });
});
