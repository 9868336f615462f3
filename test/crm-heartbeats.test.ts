/**
 * The CRM activities heartbeat while an attempt waits long (on its CRM's budget, a batch or the
 * routing queue), so the server keeps a live attempt instead of timing it out and running it again,
 * and still notices a lost one within the heartbeat timeout. A quick attempt sends no heartbeat.
 */
import { msToNumber } from '@temporalio/common/lib/time';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHubSpotActivities, createSalesforceWatchActivities, HEARTBEAT_EVERY_MS } from '../activities/handoff';
import type { ContractVersions } from '../activities/contract';
import type { HubSpotPort, SalesforcePort } from '../activities/ports';
import { crmCall } from '../workflows/activity-profiles';

type ListInput = { listId: string; contactIds: string[] };
const LIST: ListInput = { listId: 'L1', contactIds: ['1'] };

/** The HubSpot activities' list call over `port`. */
function addToListOver(port: HubSpotPort): (input: ListInput) => Promise<void> {
  const activities = createHubSpotActivities(port, {} as ContractVersions);
  return (input) => activities.addToList(input);
}

/** A HubSpot port whose list call answers when the test says so. */
function heldHubSpot() {
  let release: () => void = () => undefined;
  const port = { addToList: () => new Promise<void>((resolve) => (release = resolve)) } as unknown as HubSpotPort;
  return { port, release: () => release() };
}

function counting(env: MockActivityEnvironment): { beats: () => number; details: unknown[] } {
  const details: unknown[] = [];
  env.on('heartbeat', (d: unknown) => details.push(d));
  return { beats: () => details.length, details };
}

describe('CRM activities under a long wait', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('heartbeat every 10 s while an attempt waits, and stop when it ends', async () => {
    const hubspot = heldHubSpot();
    const env = new MockActivityEnvironment();
    const { beats, details } = counting(env);
    const attempt = env.run(addToListOver(hubspot.port), LIST);
    await vi.advanceTimersByTimeAsync(9_999);
    expect(beats()).toBe(0);
    await vi.advanceTimersByTimeAsync(25_001);
    expect(beats()).toBe(3);
    // Each says how long the attempt has run (the next attempt's failure carries the last one).
    expect(details).toEqual([{ runningMs: 10_000 }, { runningMs: 20_000 }, { runningMs: 30_000 }]);
    hubspot.release();
    await attempt;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(beats()).toBe(3);
  });

  it('send none for a quick attempt, nor from a local activity, which cannot heartbeat', async () => {
    const env = new MockActivityEnvironment();
    const { beats } = counting(env);
    await env.run(addToListOver({ addToList: async () => undefined } as unknown as HubSpotPort), LIST);

    const held = heldHubSpot();
    const local = new MockActivityEnvironment({ isLocal: true });
    const localBeats = counting(local);
    const attempt = local.run(addToListOver(held.port), LIST);
    await vi.advanceTimersByTimeAsync(45_000);
    held.release();
    await attempt;
    expect(beats()).toBe(0);
    expect(localBeats.beats()).toBe(0);
  });

  it("the status watcher's poll heartbeats too", async () => {
    let release: () => void = () => undefined;
    const salesforce = {
      leadsChangedSince: () => new Promise((resolve) => (release = () => resolve({ leads: [], cursor: { since: 'x' }, more: false }))),
      tasksCreatedSince: async () => ({ tasks: [], since: 'x' }),
    } as unknown as SalesforcePort;
    const env = new MockActivityEnvironment();
    const { beats } = counting(env);
    const watch = createSalesforceWatchActivities(salesforce);
    const attempt = env.run((input: { cursor: { since: string }; limit: number }) => watch.pollLeadChanges(input), { cursor: { since: 'x' }, limit: 10 });
    await vi.advanceTimersByTimeAsync(HEARTBEAT_EVERY_MS + 1);
    release();
    await attempt;
    expect(beats()).toBe(1);
  });

  it('are scheduled with a heartbeat timeout that tolerates a late beat, and a start-to-close past the waits a burst makes', () => {
    const heartbeatTimeout = msToNumber(crmCall.heartbeatTimeout ?? 0);
    // Two beats may be late (Core throttles them) before a live attempt is taken for lost.
    expect(heartbeatTimeout).toBeGreaterThanOrEqual(3 * HEARTBEAT_EVERY_MS);
    // The 10,000-lead burst's live attempts waited past 30 s.
    expect(msToNumber(crmCall.startToCloseTimeout ?? 0)).toBeGreaterThanOrEqual(5 * 60_000);
  });
});
