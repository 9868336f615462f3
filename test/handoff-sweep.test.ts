/**
 * The MQL sweep, the safety net for missed webhooks, on the dev server: MQLs that no handoff picked up
 * get theirs started, and sweeping again while those handoffs run starts nothing new.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { handoffWorkflowId } from '../api/ids';
import { mqlSweep } from '../workflows/mql-sweep';
import { eventually, useDevServerHarness, withHandoffWorkers } from './helpers/handoff';

const harness = useDevServerHarness((contract) => {
  // The handoffs wait for the connector (none runs here), so they stay unassigned between sweeps.
  contract.handoff.syncGraceMinutes = 20;
});

function handoffOf(contactId: string) {
  return harness.env().client.workflow.getHandle(handoffWorkflowId({ portalId: harness.h().portalId, contactId }));
}

function sweep(taskQueue: string) {
  return harness.env().client.workflow.execute(mqlSweep, { taskQueue, workflowId: `mql-sweep-test:${randomUUID()}`, args: [{ portalId: harness.h().portalId }] });
}

describe('the MQL sweep', () => {
  it('starts the handoff of MQLs whose webhook was missed, and a second sweep starts nothing new', async () => {
    await withHandoffWorkers(harness.env(), harness.h(), async ({ taskQueue }) => {
      // No webhook is configured: these MQLs reached no ingress.
      const missed = [harness.h().createMql(), harness.h().createMql()];
      const notMql = harness.h().createMql({ lifecyclestage: 'lead' });

      expect(await sweep(taskQueue)).toEqual({ found: 2, ensured: 2 });
      const firstRuns = await Promise.all(missed.map(async (id) => (await handoffOf(id).describe()).runId));
      await expect(handoffOf(notMql).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);

      // Still unassigned, so found again; USE_EXISTING keeps the running handoffs.
      expect(await sweep(taskQueue)).toEqual({ found: 2, ensured: 2 });
      for (const [index, contactId] of missed.entries()) {
        const handle = handoffOf(contactId);
        const description = await handle.describe();
        expect(description.runId).toBe(firstRuns[index]);
        expect(description.status.name).toBe('RUNNING');
        const query = `WorkflowId = "${handle.workflowId}"`;
        expect(await eventually(async () => (await harness.env().client.workflow.count(query)).count, `${query} listed`)).toBe(1);
        await handle.terminate('test done');
      }
    });
  });
});
