/**
 * No lead dies in silence, on the real dev server: the only rep is deactivated in the Salesforce
 * sandbox while the bridge runs, so Salesforce refuses the next assignments (INACTIVE_OWNER_OR_USER).
 * Those handoffs wait as LeadStage="Blocked" (visibility and `leads stuck`), RevOps hears once per
 * lead, a retry before the fix changes nothing, and after the rep is re-activated `lead retry` (one
 * lead, then `--all --step assignLead`) assigns, alerts and lets the rep accept, with one Salesforce
 * lead per contact and the deadline counted from the assignment that went through.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterEach, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { blockedHandoffsQuery, failedHandoffsQuery } from '../activities/reconcile';
import { blockedHandoffs, failedHandoffs } from '../worker/stuck-queries';
import type { HandoffState } from '../api/handoff';
import { acceptUpdate, retryUpdate, stateQuery } from '../workflows/handoff';
import { handoffWorkflowId } from '../api/ids';
import type { Contract } from '../mappings/contract';
import { BLOCKED_CODE, BLOCKED_STEP, LEAD_STAGE } from '../api/search-attributes';
import { endHandoffTest, eventually, salesforceLeadsOf, setUserActive, startHandoffHarness, startHandoffOf, withHandoffWorkers, workAroundTheClock, type HandoffHarness } from './helpers/handoff';
import { cli as runCli } from './helpers/cli';
import { writeContractFile } from './helpers/contract-file';
import { devServerEnv } from './helpers/temporal';
import { IGNORED_LOAD_REPORTS } from '../worker/workflow-admission';

let env: TestWorkflowEnvironment;
let h: HandoffHarness;

/** One rep, working around the clock: every assignment goes to the rep the test deactivates. */
function oneRepAroundTheClock(contract: Contract): void {
  workAroundTheClock(contract);
  contract.routing.reps = contract.routing.reps.slice(0, 1);
  contract.handoff.reassignLimit = 0;
}

beforeEach(async () => {
  [env, h] = await Promise.all([devServerEnv(), startHandoffHarness({ tweak: oneRepAroundTheClock })]);
});
afterEach(() => endHandoffTest(h, env));

/** Runs a CLI command module in-process against the dev server, capturing what it prints. */
/** `handoff-bridge <args>` in this process, against the run's dev server; stdout and stderr together. */
async function cli(...args: string[]): Promise<{ code: number; out: string }> {
  vi.stubEnv('TEMPORAL_ADDRESS', inject('temporalAddress'));
  vi.stubEnv('TEMPORAL_NAMESPACE', 'default');
  vi.stubEnv('CODEC_KEYS', '');
  try {
    const { code, out } = await runCli(...args);
    return { code, out };
  } finally {
    vi.unstubAllEnvs();
  }
}


describe('a handoff a CRM refuses waits Blocked for a fix', () => {
  it('blocks on an inactive rep, alerts RevOps once, and resumes with `lead retry` after the fix', async () => {
    await withHandoffWorkers(env, h, async ({ taskQueue }) => {
      const rep = h.reps[0];
      if (!rep) throw new Error('the harness has no rep');
      const start = (contactId: string) => startHandoffOf(env, h, taskQueue, contactId);
      // Both the rep's alert and RevOps' name the lead's company.
      const alertsFor = (contactId: string, kind: string) => {
        const company = h.sandboxes.hubspot.store.value(contactId, 'company') ?? contactId;
        return h.inbox.alerts.filter((a) => a.kind === kind && a.text.includes(company));
      };

      // The bridge is running and assigning: the first lead reaches the rep.
      const first = h.createMql();
      const firstHandle = await start(first);
      await h.inbox.waitFor((alerts) => alerts.some((a) => a.kind === 'alert'));

      // Mid-run, the rep leaves: two more leads qualify and Salesforce refuses to make them the owner.
      await setUserActive(h, rep.id, false);
      const [second, third] = [h.createMql(), h.createMql()];
      const [secondHandle, thirdHandle] = await Promise.all([start(second), start(third)]);
      const blockedQuery = blockedHandoffs({ portalId: h.portalId });
      await eventually(async () => (await env.client.workflow.count(blockedQuery)).count === 2, 'both handoffs Blocked in visibility');
      const attributes = (await secondHandle.describe()).typedSearchAttributes;
      expect([attributes.get(LEAD_STAGE), attributes.get(BLOCKED_STEP), attributes.get(BLOCKED_CODE)]).toEqual(['Blocked', 'assignLead', 'INACTIVE_OWNER_OR_USER']);
      expect((await secondHandle.describe()).status.name).toBe('RUNNING');
      // The reconciliation report reads the same handoffs.
      expect((await env.client.workflow.count(blockedHandoffsQuery(h.portalId))).count).toBe(2);

      const stuck = await cli('leads', 'stuck', '--portal', h.portalId);
      expect(stuck.code).toBe(0);
      expect(stuck.out).toContain('Blocked (a CRM refused a write; fix it, then `lead retry`): 2');
      expect(stuck.out).toContain('  by cause: assignLead INACTIVE_OWNER_OR_USER: 2');
      expect(stuck.out).toMatch(new RegExp(`${handoffWorkflowId({ portalId: h.portalId, contactId: second })}\\s+Blocked\\s+owner —\\s+blocked on assignLead INACTIVE_OWNER_OR_USER`));
      expect(stuck.out).toContain('Ended Failed: 0');
      const shown = await cli('lead', 'show', second, '--portal', h.portalId);
      expect(shown.out).toMatch(new RegExp(`BLOCKED since \\S+ at assignLead: INACTIVE_OWNER_OR_USER \\(0 retries\\); fix it, then \`lead retry ${second}\``));

      // RevOps hears once per blocked lead, with the lead, the step and the fix; the rep hears nothing.
      await h.inbox.waitFor((alerts) => alerts.filter((a) => a.kind === 'blocked').length === 2);
      const [revopsAlert] = alertsFor(second, 'blocked');
      expect(revopsAlert?.repIndex).toBe(-2);
      expect(revopsAlert?.text).toContain('Handoff blocked at assignLead');
      expect(revopsAlert?.text).toContain(`(contact ${second})`);
      expect(revopsAlert?.text).toContain(`Re-activate ${rep.name} (Salesforce user ${rep.id}) in Salesforce`);
      expect(revopsAlert?.text).toContain(`lead retry ${second}`);

      // A retry before the fix: refused again the same way, still Blocked, and no second alert.
      const early = await cli('lead', 'retry', second, '--portal', h.portalId);
      expect(early.code).toBe(1);
      expect(early.out).toContain('still blocked at assignLead (INACTIVE_OWNER_OR_USER)');
      // The CLI names each retry after the block and its count: the same retry asked again runs nothing.
      const afterEarly = await secondHandle.query(stateQuery);
      const retryNotes = (state: HandoffState) => state.timeline.filter((t) => t.detail?.startsWith('retry of assignLead')).length;
      expect([afterEarly.blocked?.retries, retryNotes(afterEarly)]).toEqual([1, 1]);
      const repeated = await secondHandle.executeUpdate(retryUpdate, {
        args: [{ actor: 'cli:someone-else' }],
        updateId: `retry:assignLead:${afterEarly.blocked?.since ?? ''}:0`,
      });
      expect(retryNotes(repeated)).toBe(1);
      expect(retryNotes(await secondHandle.query(stateQuery))).toBe(1);
      // And a lead that is not blocked has nothing to retry.
      const notBlocked = await cli('lead', 'retry', first, '--portal', h.portalId);
      expect(notBlocked.code).toBe(1);
      expect(notBlocked.out).toContain('not blocked (it is AwaitingAcceptance)');

      // The fix, then the retry: the handoff continues from the refused step.
      await setUserActive(h, rep.id, true);
      const retriedAt = Date.now();
      const retried = await cli('lead', 'retry', second, '--portal', h.portalId);
      expect(retried.code, retried.out).toBe(0);
      expect(retried.out).toContain('assignLead went through; now AwaitingAcceptance');
      const all = await cli('lead', 'retry', '--all', '--step', 'assignLead', '--portal', h.portalId);
      expect(all.code, all.out).toBe(0);
      expect(all.out).toContain('1 blocked handoff retried: 1 went through, 0 still blocked, 0 refused');

      for (const [contactId, handle] of [
        [second, secondHandle],
        [third, thirdHandle],
      ] as const) {
        await h.inbox.waitFor(() => alertsFor(contactId, 'alert').length === 1);
        const accepted = await handle.executeUpdate(acceptUpdate, { args: [{ actor: rep.id, via: 'cli' }] });
        expect(accepted.stage).toBe('SAL');
        expect(accepted.blocked).toBeUndefined();
        // The clock starts at the assignment that went through, not when the lead first qualified.
        const assignedAt = Date.parse(accepted.marks.assignedAt ?? '');
        expect(assignedAt).toBeGreaterThanOrEqual(retriedAt - 1000);
        expect(Date.parse(accepted.deadline ?? '')).toBe(assignedAt + h.contract.handoff.acceptanceWindowBusinessMinutes * 60_000);
        // The time blocked is system delay, and shows in the timeline.
        expect(accepted.delays.blockedSeconds).toBeGreaterThanOrEqual(0);
        expect(accepted.delays.systemSeconds).toBeGreaterThanOrEqual(accepted.delays.blockedSeconds ?? 0);
        const events = accepted.timeline.map((t) => t.detail ?? '');
        expect(events.some((d) => d.startsWith('blocked: the CRM refused assignLead (INACTIVE_OWNER_OR_USER)'))).toBe(true);
        expect(events.some((d) => /^unblocked: assignLead went through after \d+ s blocked/.test(d))).toBe(true);
        expect(alertsFor(contactId, 'blocked')).toHaveLength(1);
        expect(salesforceLeadsOf(h, contactId)).toHaveLength(1);
        expect(h.sandboxes.salesforce.store.find(accepted.salesforceLeadId ?? '')?.fields.OwnerId).toBe(rep.id);
      }
      await eventually(async () => (await env.client.workflow.count(blockedQuery)).count === 0, 'no handoff Blocked once retried');
      expect((await secondHandle.describe()).typedSearchAttributes.get(BLOCKED_STEP)).toBeUndefined();
      expect((await secondHandle.query(stateQuery)).stage).toBe('SAL');
      // A worker that lost its cache replays the block, both retries and the resumption deterministically.
      await Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') }, sinks: IGNORED_LOAD_REPORTS }, await secondHandle.fetchHistory());
      await Promise.all([firstHandle, secondHandle, thirdHandle].map((handle) => handle.terminate('test done')));
    });
  });

  it('blocks on a rep id the org does not have, and routes with the corrected contract it is moved to on retry', async () => {
    const rep = h.reps[0];
    if (!rep) throw new Error('the harness has no rep');
    const realId = rep.id;
    // The first run: the contract names a rep id the org does not have.
    h.contract.routing.reps = [{ ...rep, id: '005000000000999AAA' }];
    await withHandoffWorkers(env, h, async ({ taskQueue }) => {
      const contactId = h.createMql();
      const handle = await startHandoffOf(env, h, taskQueue, contactId);
      const blocked = await eventually(async () => (await handle.query(stateQuery)).blocked, 'the handoff Blocked');
      expect([blocked.step, blocked.code, blocked.ownerId]).toEqual(['assignLead', 'INVALID_CROSS_REFERENCE_KEY.OwnerId', '005000000000999AAA']);
      await h.inbox.waitFor((alerts) => alerts.some((a) => a.kind === 'blocked' && a.text.includes('which the org does not have')));

      // RevOps corrects the contract. The handoff runs on the version it started on: a retry alone
      // is refused again; moved to the corrected version, the retry routes on it.
      h.contract.routing.reps = [{ ...rep, id: realId }];
      const early = await cli('lead', 'retry', contactId, '--portal', h.portalId);
      expect(early.out).toContain('still blocked at assignLead (INVALID_CROSS_REFERENCE_KEY.OwnerId)');
      const dir = mkdtempSync(join(tmpdir(), 'corrected-'));
      try {
        // Every open handoff of the portal (visibility lists this one): moved to the corrected version.
        const moved = await cli('lead', 'rebase-contract', '--all', '--portal', h.portalId, '--contract', writeContractFile(dir, 'corrected', h.contract), '--task-queue', taskQueue);
        expect(moved.code, moved.out).toBe(0);
        expect(moved.out).toContain(`${handoffWorkflowId({ portalId: h.portalId, contactId })}: c-`);
        expect(moved.out).toMatch(/1 handoff asked to run on c-[0-9a-f]{16}: 1 moved, 0 already on it, 0 refused/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      const retried = await cli('lead', 'retry', contactId, '--portal', h.portalId);
      expect(retried.code, retried.out).toBe(0);
      expect(retried.out).toContain(`owner ${realId}`);
      expect(salesforceLeadsOf(h, contactId)).toHaveLength(1);
      await handle.terminate('test done');
    });
  });

  it('lists a handoff that ended Failed for another reason beside the blocked ones', async () => {
    // A rep webhook that answers 404 is a permanent alert failure, not a CRM refusal: the handoff fails.
    h.contract.routing.reps = h.contract.routing.reps.map((rep) => ({ ...rep, channels: { slack: `${h.inbox.url}/no-such-hook` } }));
    await withHandoffWorkers(env, h, async ({ taskQueue }) => {
      const contactId = h.createMql();
      const handle = await startHandoffOf(env, h, taskQueue, contactId);
      await expect(handle.result()).rejects.toThrow();
      await eventually(async () => (await env.client.workflow.count(failedHandoffs({ portalId: h.portalId }))).count === 1, 'the failed handoff in visibility');
      expect((await env.client.workflow.count(failedHandoffsQuery(h.portalId))).count).toBe(1);
      const stuck = await cli('leads', 'stuck', '--portal', h.portalId, '--query', 'failed');
      expect(stuck.out).toContain('Ended Failed: 1');
      expect(stuck.out).toContain(handoffWorkflowId({ portalId: h.portalId, contactId }));
    });
  });
});
