/** Short version of `npm run chaos`'s CRM-fault scenario: 5xx, 429 storms and latency in both sandboxes. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { runCrmFaults } from '../chaos/crm-faults';
import { devServerEnv } from './helpers/temporal';

let env: TestWorkflowEnvironment;
let scratchDir: string;
beforeAll(async () => {
  env = await devServerEnv();
  scratchDir = mkdtempSync(join(tmpdir(), 'chaos-faults-'));
});
afterAll(async () => {
  await env?.teardown();
  rmSync(scratchDir, { recursive: true, force: true });
});

describe('CRM faults in both sandboxes', () => {
  it('closes every handoff with no duplicate lead or list membership, within the HubSpot budget', { timeout: 120_000 }, async () => {
    const result = await runCrmFaults({
      client: env.client,
      temporalAddress: inject('temporalAddress'),
      bundlePath: inject('workflowBundlePath'),
      scratchDir,
      leads: 10,
      phaseMs: 4_000,
      timeoutMs: 90_000,
      closeBy: 'rejection',
    });
    expect(result.notClosed).toEqual({ count: 0, examples: [] });
    expect(result.duplicateSalesforceLeads).toEqual([]);
    expect(result.duplicateListMemberships).toBe(0);
    expect(result.hubspotAnswers.serverErrors + result.hubspotAnswers.rateLimited).toBeGreaterThan(0);
    expect(result.busiestHubspot10s).toBeLessThanOrEqual(190);
  });
});
