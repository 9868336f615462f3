/** Short version of `npm run chaos`'s worker-kill scenario: a worker process SIGKILLed mid-burst. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { runWorkerKill } from '../chaos/worker-kill';
import { devServerEnv } from './helpers/temporal';

let env: TestWorkflowEnvironment;
let scratchDir: string;
beforeAll(async () => {
  env = await devServerEnv();
  scratchDir = mkdtempSync(join(tmpdir(), 'chaos-kill-'));
});
afterAll(async () => {
  await env?.teardown();
  rmSync(scratchDir, { recursive: true, force: true });
});

describe('a worker killed during a burst', () => {
  it('loses no lead and creates no duplicate Salesforce lead', { timeout: 120_000 }, async () => {
    const result = await runWorkerKill({
      client: env.client,
      temporalAddress: inject('temporalAddress'),
      bundlePath: inject('workflowBundlePath'),
      scratchDir,
      leads: 20,
      killEveryMs: 2_500,
      killForMs: 4_000,
      timeoutMs: 90_000,
    });
    expect(result.kills).toBeGreaterThan(0);
    expect(result.unassigned).toEqual([]);
    expect(result.duplicateSalesforceLeads).toEqual([]);
    expect(result.notAlerted).toBe(0);
  });
});
