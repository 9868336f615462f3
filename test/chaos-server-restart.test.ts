/**
 * Short version of `npm run chaos`'s server-restart scenario: a dev server of its own, stopped while
 * rejected handoffs wait on their read-back timers, and started again on the same SQLite file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { runServerRestart } from '../chaos/server-restart';

let scratchDir: string;
beforeAll(() => {
  scratchDir = mkdtempSync(join(tmpdir(), 'chaos-restart-'));
});
afterAll(() => {
  rmSync(scratchDir, { recursive: true, force: true });
});

describe('the Temporal server restarted mid-run', () => {
  it('fires the pending timers after the restart and loses no handoff', { timeout: 120_000 }, async () => {
    const result = await runServerRestart({ bundlePath: inject('workflowBundlePath'), scratchDir, leads: 5, downMs: 3_000, timeoutMs: 90_000, closeBy: 'rejection' });
    expect(result.parkedAtStop).toBe(5);
    expect(result.notClosed).toEqual({ count: 0, examples: [] });
    expect(result.unassigned).toEqual([]);
    expect(result.duplicateSalesforceLeads).toEqual([]);
  });
});
