/**
 * The signed accept/reject links, through HTTP against a running bridge: a link decides only while its
 * rep owns the lead in the link's assignment (the update validator's rule, which the CLI meets too);
 * every other case answers a page that says what happened, with 409/404/410 and no button; and a rep
 * who accepted is told that rejecting now returns the lead to nurture.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signActionToken } from '../activities/notify';
import type { HandoffState } from '../api/handoff';
import { acceptUpdate, stateQuery, leadHandoff } from '../workflows/handoff';
import { handoffWorkflowId } from '../api/ids';
import { LINK_SECRET, startHandoffHarness, workAroundTheClock, type HandoffHarness } from './helpers/handoff';
import { startTestBridge, type TestBridge } from './helpers/running-bridge';

let h: HandoffHarness;
let running: TestBridge;

beforeAll(async () => {
  h = await startHandoffHarness({ tweak: workAroundTheClock });
  running = await startTestBridge(h);
}, 60_000);

afterAll(async () => {
  await running?.stop();
  await h?.stop();
});

const form = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' } };
const inHour = () => new Date(Date.now() + 3_600_000).toISOString();
const linkTo = (workflowId: string, action: 'accept' | 'reject', repId: string, expiresAt: string) =>
  `${running.bridge.ingressUrl}/actions/${signActionToken({ workflowId, action, repId, expiresAt }, LINK_SECRET)}`;

/** Starts a handoff on the bridge's queue and waits for its alert; returns its handle, state and links. */
async function assignedLead(): Promise<{ workflowId: string; state: HandoffState; acceptUrl: string; rejectUrl: string }> {
  const contactId = h.createMql();
  const workflowId = handoffWorkflowId({ portalId: h.portalId, contactId });
  const alertsBefore = h.inbox.alerts.length;
  await running.bridge.client.workflow.start(leadHandoff, {
    workflowId,
    taskQueue: running.taskQueue,
    args: [{ portalId: h.portalId, contactId, trigger: { source: 'cli', observedAt: new Date().toISOString() } }],
  });
  await h.inbox.waitFor((alerts) => alerts.length > alertsBefore);
  const alert = h.inbox.alerts[alertsBefore];
  const state = await running.bridge.client.workflow.getHandle(workflowId).query(stateQuery);
  return { workflowId, state, acceptUrl: alert?.acceptUrl ?? '', rejectUrl: alert?.rejectUrl ?? '' };
}

describe('links for a handoff that does not exist', () => {
  it('GET and POST answer 404 with a page saying so, and no button', async () => {
    const url = linkTo('handoff:1:404404', 'accept', 'r1', inHour());
    const shown = await fetch(url);
    expect(shown.status).toBe(404);
    const page = await shown.text();
    expect(page).toContain('There is no handoff for this link');
    expect(page).not.toContain('<button');
    const posted = await fetch(url, { ...form, body: '' });
    expect(posted.status).toBe(404);
    expect(await posted.text()).not.toContain('<button');
  });
});

describe("a link for a rep who does not own the lead", () => {
  it('shows who owns it (409, no button) and cannot accept it, by link or by update as that rep', async () => {
    const lead = await assignedLead();
    const owner = h.reps.find((r) => r.id === lead.state.ownerId);
    const other = h.reps.find((r) => r.id !== lead.state.ownerId);
    expect(owner && other).toBeTruthy();
    const deadline = lead.state.deadline ?? inHour();
    const foreign = linkTo(lead.workflowId, 'accept', other?.id ?? '', deadline);

    const shown = await fetch(foreign);
    expect(shown.status).toBe(409);
    const page = await shown.text();
    expect(page).toContain(`now owned by ${owner?.name ?? ''}`);
    expect(page).not.toContain('<button');
    expect((await fetch(foreign, { ...form, body: '' })).status).toBe(409);

    // The rule lives in the update validator: any caller deciding as that rep is refused.
    const handle = running.bridge.client.workflow.getHandle(lead.workflowId);
    await expect(handle.executeUpdate(acceptUpdate, { args: [{ actor: other?.id ?? '', via: 'cli', asOwner: { repId: other?.id ?? '' } }] })).rejects.toBeInstanceOf(
      WorkflowUpdateFailedError,
    );
    // ...as is the owner's own link from another assignment (another deadline).
    const stale = linkTo(lead.workflowId, 'accept', owner?.id ?? '', new Date(Date.parse(deadline) + 3_600_000).toISOString());
    expect((await fetch(stale, { ...form, body: '' })).status).toBe(409);
    expect((await handle.query(stateQuery)).stage).toBe('AwaitingAcceptance');
    await handle.terminate('test done');
  });
});

describe('links after a decision', () => {
  it('after acceptance: the accept link says when (409, no button), the reject link warns of nurture; after the rejection both say so (409)', async () => {
    const lead = await assignedLead();
    const accepted = await fetch(lead.acceptUrl, { ...form, body: '' });
    expect(accepted.status).toBe(200);
    const acceptedPage = await accepted.text();
    expect(acceptedPage).toContain('The lead is now <strong>SAL</strong>.');
    expect(acceptedPage).toContain('You accepted this lead on');

    const handle = running.bridge.client.workflow.getHandle(lead.workflowId);
    const acceptedAt = (await handle.query(stateQuery)).marks.acceptedAt ?? '';
    const when = `${acceptedAt.slice(0, 10)} ${acceptedAt.slice(11, 16)} UTC`;

    const again = await fetch(lead.acceptUrl);
    expect(again.status).toBe(409);
    const againPage = await again.text();
    expect(againPage).toContain(`You accepted this lead on ${when}`);
    expect(againPage).not.toContain('<button');

    const rejectPage = await fetch(lead.rejectUrl);
    expect(rejectPage.status).toBe(200);
    const rejectText = await rejectPage.text();
    expect(rejectText).toContain(`You accepted this lead on ${when}; rejecting now returns it to nurture.`);
    expect(rejectText).toContain('Reject and return to nurture');

    // A recyclable reason: the lead goes back to nurture (the handoff then reads both systems back for a while).
    const reason = h.contract.rejectionTaxonomy.find((r) => r.recyclable)?.code ?? '';
    const rejected = await fetch(lead.rejectUrl, { ...form, body: `reason=${encodeURIComponent(reason)}` });
    expect(rejected.status).toBe(200);
    for (const url of [lead.acceptUrl, lead.rejectUrl]) {
      const after = await fetch(url);
      expect(after.status).toBe(409);
      const text = await after.text();
      expect(text).toContain(`This lead was rejected (${reason}) and returned to nurture on`);
      expect(text).not.toContain('<button');
    }
    await handle.terminate('test done');
  });

  it('once the handoff is over, both links say how it ended (410, no button), on GET and POST', async () => {
    const lead = await assignedLead();
    // A final reason: the lead is disqualified and the handoff completes at once.
    const reason = h.contract.rejectionTaxonomy.find((r) => !r.recyclable)?.code ?? '';
    expect((await fetch(lead.rejectUrl, { ...form, body: `reason=${encodeURIComponent(reason)}` })).status).toBe(200);
    await running.bridge.client.workflow.getHandle(lead.workflowId).result();
    for (const url of [lead.acceptUrl, lead.rejectUrl]) {
      for (const method of ['GET', 'POST']) {
        const after = await fetch(url, method === 'POST' ? { ...form, body: `reason=${encodeURIComponent(reason)}` } : {});
        expect(after.status, `${method} after the handoff ended`).toBe(410);
        const text = await after.text();
        expect(text).toContain('This lead was disqualified');
        expect(text).toContain(`Reason: ${reason}`);
        expect(text).not.toContain('<button');
      }
    }
  });
});
