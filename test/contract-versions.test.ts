/**
 * A handoff runs to its end on the contract version it started on, activities included, whichever
 * worker serves it; a new version reaches new handoffs, and open ones only through `lead
 * rebase-contract`. On the time-skipping server: workers on v1 start a handoff, then workers on v2 (its
 * owner taken out of routing) replace them on the same task queue, as a deploy of a new contract would.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { contractHash } from '../activities/contract';
import type { Contract } from '../mappings/contract';
import type { HandoffState } from '../api/handoff';
import { stateQuery } from '../workflows/handoff';
import { cli } from './helpers/cli';
import { writeContractFile } from './helpers/contract-file';
import { eventually, startHandoffHarness, startHandoffOf, withHandoffWorkers, workAroundTheClock, type HandoffHarness } from './helpers/handoff';
import { timeSkippingEnv, uniqueTaskQueue } from './helpers/temporal';

let env: TestWorkflowEnvironment;
let h: HandoffHarness;
const dir = mkdtempSync(join(tmpdir(), 'contract-versions-'));

beforeAll(async () => {
  // Around the clock, with the business day the schema derives from it, so the operator's file (parsed
  // again) is the very contract the workers run: one content, one hash.
  const tweak = (contract: Contract): void => {
    workAroundTheClock(contract);
    contract.calendar.businessDayMinutes = 24 * 60;
  };
  [env, h] = await Promise.all([timeSkippingEnv(), startHandoffHarness({ tweak })]);
});
afterAll(async () => {
  await Promise.all([h?.stop(), env?.teardown()]);
  rmSync(dir, { recursive: true, force: true });
});

async function rebase(contactId: string, file: string, taskQueue: string) {
  vi.stubEnv('TEMPORAL_ADDRESS', env.address);
  vi.stubEnv('TEMPORAL_NAMESPACE', env.namespace ?? 'default');
  vi.stubEnv('CODEC_KEYS', '');
  try {
    return await cli('lead', 'rebase-contract', contactId, '--portal', h.portalId, '--contract', file, '--task-queue', taskQueue, '--as', 'revops');
  } finally {
    vi.unstubAllEnvs();
  }
}

describe('contract versions by content hash', () => {
  it('keeps an open handoff on v1 after the workers switch to v2, starts new ones on v2, and moves one on request', async () => {
    const taskQueue = uniqueTaskQueue('handoff');
    const v1 = contractHash(h.contract);
    const started = await withHandoffWorkers(
      env,
      h,
      async () => {
        const handle = await startHandoffOf(env, h, taskQueue, h.createMql());
        const state = await eventually(async () => {
          const s = await handle.query(stateQuery);
          return s.stage === 'AwaitingAcceptance' ? s : undefined;
        }, 'the first assignment');
        return { handle, state };
      },
      // Uncached, so nothing waits on these workers' sticky queues once they stop (the time-skipping
      // server never hands a sticky task back to the task queue).
      { taskQueue, overrides: { maxCachedWorkflows: 0 } },
    );
    expect(started.state.contractHash).toBe(v1);
    const owner = started.state.ownerId ?? '';
    const ownerIndex = h.reps.findIndex((r) => r.id === owner);
    expect(ownerIndex).toBeGreaterThanOrEqual(0);

    // v2: the rep who owns the open lead leaves routing. The new workers run v2 and resolve v1 from the registry.
    h.contract.routing.reps = h.reps.filter((r) => r.id !== owner);
    const v2 = contractHash(h.contract);
    expect(v2).not.toBe(v1);
    const v2File = writeContractFile(dir, 'v2', h.contract);

    await withHandoffWorkers(
      env,
      h,
      async () => {
        const fresh = await startHandoffOf(env, h, taskQueue, h.createMql());
        const freshState = await eventually(async () => {
          const s = await fresh.query(stateQuery);
          return s.stage === 'AwaitingAcceptance' ? s : undefined;
        }, 'the new handoff assigned');
        expect(freshState.contractHash).toBe(v2);
        expect(freshState.ownerId).not.toBe(owner);

        // Not while it waits on a rep v2 does not have: its reminder and breach would find no such rep.
        const early = await rebase(started.state.contactId, v2File, taskQueue);
        expect(early.code, early.out).toBe(1);
        expect(early.out).toContain(`awaits acceptance by ${owner}, who is not in ${v2}'s routing`);

        // On v1 the removed rep still gets the reminder (a v1 alert, sent by a v2 worker), the breach is
        // reported, and the lead is reassigned on v1's routing.
        const remindersBefore = h.inbox.alerts.filter((a) => a.repIndex === ownerIndex && a.kind === 'reminder').length;
        await env.sleep(31 * 60_000);
        const reassigned = await eventually(async () => {
          const s: HandoffState = await started.handle.query(stateQuery);
          return s.reassignments === 1 && s.stage === 'AwaitingAcceptance' ? s : undefined;
        }, 'the reassignment on v1');
        expect(h.inbox.alerts.filter((a) => a.repIndex === ownerIndex && a.kind === 'reminder').length).toBe(remindersBefore + 1);
        expect(reassigned.contractHash).toBe(v1);
        expect(reassigned.flags).not.toContain('crm_write_failed');
        expect(reassigned.timeline.some((t) => t.detail === `acceptance window missed by ${owner}`)).toBe(true);

        // Now the operator moves it to v2.
        const moved = await rebase(started.state.contactId, v2File, taskQueue);
        expect(moved.code, moved.out).toBe(0);
        expect(moved.out).toContain(`${v1} → ${v2}`);
        expect(moved.out).toContain('1 moved, 0 already on it, 0 refused');
        const after = await started.handle.query(stateQuery);
        expect(after.contractHash).toBe(v2);
        expect(after.timeline.at(-1)?.detail).toBe(`contract version ${v1} → ${v2} (by cli:revops)`);
        // Asked again, it is already there.
        expect((await rebase(started.state.contactId, v2File, taskQueue)).out).toContain('0 moved, 1 already on it');

        await Promise.all([started.handle.terminate('test done'), fresh.terminate('test done')]);
      },
      { taskQueue },
    );
  }, 60_000);
});
