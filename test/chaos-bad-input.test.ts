/**
 * Short version of `npm run chaos`'s bad-input scenario: generated webhook requests at the real
 * ingress, malformed contract files and malformed environments.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzzContracts, fuzzEnvironments } from '../chaos/config-fuzz';
import { fuzzWebhooks } from '../chaos/bad-input';
import { devServerEnv } from './helpers/temporal';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await devServerEnv();
});
afterAll(async () => {
  await env?.teardown();
});

describe('bad input', () => {
  it('accepts no forged or stale webhook, survives malformed ones and explains every refusal', async () => {
    const verdict = await fuzzWebhooks(env.client, 300);
    expect(verdict.forged).toBeGreaterThan(100);
    expect(verdict.acceptedForgeries).toEqual([]);
    expect(verdict.crashes).toEqual([]);
    expect(verdict.unclear).toEqual([]);
    expect(verdict.healthyAfter).toBe(true);
    // A replay inside HubSpot's 5-minute window passes the signature check but opens no second handoff.
    expect(verdict.replayWithinWindow).toEqual({ accepted: 2, handoffs: 1 });
  });

  it('refuses malformed contract files with located problems and never crashes', () => {
    const verdict = fuzzContracts(300);
    expect(verdict.crashes).toEqual([]);
    expect(verdict.unclear).toEqual([]);
    expect(verdict.rejectedClearly).toBeGreaterThan(100);
  });

  it('refuses malformed environments naming each variable, without repeating secrets', () => {
    const verdict = fuzzEnvironments(300);
    expect(verdict.crashes).toEqual([]);
    expect(verdict.unclear).toEqual([]);
    expect(verdict.leakedSecrets).toEqual([]);
    expect(verdict.rejectedClearly).toBeGreaterThan(100);
  });
});
