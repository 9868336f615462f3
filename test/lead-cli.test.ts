/**
 * `handoff-bridge lead …` as an operator runs it: a child process of the real CLI, against the run's
 * dev server, on a handoff the bridge's workers are running.
 */
import { describe, expect, it } from 'vitest';
import { stateQuery, leadHandoff } from '../workflows/handoff';
import { handoffWorkflowId } from '../api/ids';
import { useDevServerHarness, withHandoffWorkers } from './helpers/handoff';
import { handoffBridge } from './helpers/cli';

const harness = useDevServerHarness();

describe('handoff-bridge lead', () => {
  it("shows the lead's timeline from its workflow, and refuses a rejection reason outside the taxonomy with exit 1", async () => {
    await withHandoffWorkers(harness.env(), harness.h(), async ({ taskQueue }) => {
      const contactId = harness.h().createMql();
      const handle = await harness.env().client.workflow.start(leadHandoff, {
        taskQueue,
        workflowId: handoffWorkflowId({ portalId: harness.h().portalId, contactId }),
        args: [{ portalId: harness.h().portalId, contactId, trigger: { source: 'cli', observedAt: new Date().toISOString() } }],
      });
      await harness.h().inbox.waitFor((alerts) => alerts.length === 1);
      const state = await handle.query(stateQuery);

      const [show, reject, unknown] = await Promise.all([
        handoffBridge(['lead', 'show', contactId, '--portal', harness.h().portalId]),
        handoffBridge(['lead', 'reject', contactId, '--reason', 'NOT_A_CODE', '--portal', harness.h().portalId]),
        handoffBridge(['lead', 'show', '999999', '--portal', harness.h().portalId]),
      ]);

      expect(show.code).toBe(0);
      expect(show.stdout).toContain(`lead ${contactId} (portal ${harness.h().portalId}): AwaitingAcceptance`);
      expect(show.stdout).toContain(`owner ${state.ownerId}  salesforce lead ${state.salesforceLeadId}  deadline ${state.deadline}`);
      const timeline = show.stdout.slice(show.stdout.indexOf('  timeline:'));
      expect(timeline).toMatch(/\n {4}\S+ {2}MQL +mql_confirmed\n/);
      expect(timeline).toMatch(new RegExp(`\\n {4}\\S+ {2}AwaitingAcceptance +assigned {2}owner ${state.ownerId}, deadline `));

      expect(reject.code).toBe(1);
      expect(reject.stderr).toContain('lead reject refused: unknown rejection reason "NOT_A_CODE"');
      expect(reject.stdout).toBe('');
      expect((await handle.query(stateQuery)).stage).toBe('AwaitingAcceptance');

      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain(`lead 999999: no handoff in portal ${harness.h().portalId}`);
      await handle.terminate('test done');
    });
  });
});
