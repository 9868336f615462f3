/**
 * The real Temporal Web UI, in headless Chromium, answering "which leads are stuck?": a dev server of
 * its own with the UI on, a stuck handoff and a healthy one planted (canary workflows carrying the
 * handoff's id and search attributes; nobody polls their queue), and the workflows page opened with
 * the stuck-lead query in its URL, as a RevOps engineer would paste it.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { canary } from '../workflows/canary';
import { handoffWorkflowId } from '../api/ids';
import { LEAD_STAGE, OWNER_ID, SLA_DEADLINE } from '../api/search-attributes';
import { quietPort, startDevServer, type DevServer } from '../worker/dev-server';
import { awaitingAcceptancePastDeadline, workflowsPageUrl } from '../worker/stuck-queries';
import { withPage } from './helpers/browser';

const HOUR = 3_600_000;
const portal = `ui${randomUUID().slice(0, 8)}`;
const stuckId = handoffWorkflowId({ portalId: portal, contactId: 'stuck' });
const onTimeId = handoffWorkflowId({ portalId: portal, contactId: 'on-time' });

let server: DevServer;
let client: Client;

async function untilServing(url: string): Promise<void> {
  await vi.waitFor(
    async () => {
      const response = await fetch(url);
      expect(response.ok).toBe(true);
    },
    { timeout: 30_000, interval: 250 },
  );
}

beforeAll(async () => {
  server = await startDevServer({ cliPath: inject('temporalCliPath'), uiPort: await quietPort() });
  client = new Client({ connection: await Connection.connect({ address: server.address }) });
  const now = Date.now();
  for (const [workflowId, deadline] of [
    [stuckId, new Date(now - HOUR)],
    [onTimeId, new Date(now + HOUR)],
  ] as const) {
    await client.workflow.start(canary, {
      workflowId,
      taskQueue: 'nobody-polls',
      args: [{ wait: '1 hour' }],
      typedSearchAttributes: [
        { key: LEAD_STAGE, value: 'AwaitingAcceptance' },
        { key: OWNER_ID, value: '005rep' },
        { key: SLA_DEADLINE, value: deadline },
      ],
    });
  }
  await vi.waitFor(async () => expect((await client.workflow.count(`WorkflowId STARTS_WITH "handoff:${portal}:"`)).count).toBe(2), {
    timeout: 15_000,
    interval: 200,
  });
  await untilServing(server.uiUrl ?? '');
}, 120_000);

afterAll(async () => {
  await client?.connection.close();
  await server?.stop();
});

describe('Temporal Web UI with the stuck-lead query', () => {
  it('lists the planted stuck lead, and not the lead whose deadline is still ahead', async () => {
    const query = awaitingAcceptancePastDeadline(new Date(), { portalId: portal });
    const url = workflowsPageUrl(server.uiUrl ?? '', 'default', query);
    await withPage(url, async ({ page }) => {
      await page.getByText(stuckId, { exact: true }).first().waitFor({ state: 'visible', timeout: 30_000 });
      // The list has rendered (the stuck row is in it), so an absent row is filtered out, not late.
      expect(await page.getByText(onTimeId, { exact: true }).count()).toBe(0);
      // The query the page applied is the one we passed, not a default view that happens to match.
      expect(new URL(page.url()).searchParams.get('query')).toBe(query);
    });
  }, 90_000);

  it('shows both planted leads when the query does not single out the stuck one (control)', async () => {
    const url = workflowsPageUrl(server.uiUrl ?? '', 'default', `WorkflowId STARTS_WITH "handoff:${portal}:"`);
    await withPage(url, async ({ page }) => {
      await page.getByText(onTimeId, { exact: true }).first().waitFor({ state: 'visible', timeout: 30_000 });
      await page.getByText(stuckId, { exact: true }).first().waitFor({ state: 'visible', timeout: 30_000 });
    });
  }, 90_000);
});
