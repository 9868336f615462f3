/**
 * The stuck-lead visibility queries, run on the real dev server's SQLite visibility against planted
 * handoffs: canary workflows started with `handoff:<portal>:<contact>` ids and the search attributes
 * the leadHandoff workflow sets. No worker polls their task queue, so running ones stay running.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import type { SearchAttributePair } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { canary } from '../workflows/canary';
import { handoffWorkflowId } from '../api/ids';
import { BLOCKED_CODE, BLOCKED_STEP, BREACHED, LEAD_STAGE, OWNER_ID, ROUTING_WAIT, SLA_DEADLINE } from '../api/search-attributes';
import { cli } from './helpers/cli';
import {
  awaitingAcceptancePastDeadline,
  blockedHandoffs,
  breachedByOwner,
  revertedToday,
  stuckInSyncWait,
  waitingForRep,
  workflowsPageUrl,
} from '../worker/stuck-queries';
import { devServerEnv, uniqueTaskQueue } from './helpers/temporal';

const HOUR = 3_600_000;
const portal = `p${randomUUID().slice(0, 8)}`;
const otherPortal = `q${randomUUID().slice(0, 8)}`;
const rep = `005${randomUUID().slice(0, 8)}`;
const otherRep = `006${randomUUID().slice(0, 8)}`;
const taskQueue = uniqueTaskQueue('nobody-polls');
const plantedAt = new Date();

interface Plant {
  contact: string;
  portal?: string;
  attributes: SearchAttributePair[];
  close?: boolean;
}

const stage = (value: string): SearchAttributePair => ({ key: LEAD_STAGE, value });
const owner = (value: string): SearchAttributePair => ({ key: OWNER_ID, value });
const deadline = (offsetMs: number): SearchAttributePair => ({ key: SLA_DEADLINE, value: new Date(plantedAt.getTime() + offsetMs) });
const breached = (value: boolean): SearchAttributePair => ({ key: BREACHED, value });
const blockedAt = (step: string, code: string): SearchAttributePair[] => [stage('Blocked'), { key: BLOCKED_STEP, value: step }, { key: BLOCKED_CODE, value: code }];

const PLANTS: Plant[] = [
  { contact: 'overdue', attributes: [stage('AwaitingAcceptance'), owner(rep), deadline(-HOUR), breached(true)] },
  { contact: 'due-later', attributes: [stage('AwaitingAcceptance'), owner(rep), deadline(HOUR)] },
  { contact: 'accepted', attributes: [stage('SAL'), owner(rep), breached(false)] },
  { contact: 'overdue-closed', attributes: [stage('AwaitingAcceptance'), owner(otherRep), deadline(-HOUR), breached(true)], close: true },
  { contact: 'overdue-elsewhere', portal: otherPortal, attributes: [stage('AwaitingAcceptance'), owner(rep), deadline(-HOUR)] },
  { contact: 'waiting-sync', attributes: [stage('MQL')] },
  { contact: 'reverted', attributes: [stage('Nurture'), owner(rep), breached(true)], close: true },
  { contact: 'never-qualified', attributes: [stage('Nurture')], close: true },
  { contact: 'reverting', attributes: [stage('Nurture'), owner(otherRep)] },
  { contact: 'waiting-rep', attributes: [stage('Routing'), { key: ROUTING_WAIT, value: 'capacity' }] },
  { contact: 'waited-rep', attributes: [stage('Routing'), { key: ROUTING_WAIT, value: 'off_hours' }], close: true },
  { contact: 'blocked-assign-1', attributes: blockedAt('assignLead', 'INACTIVE_OWNER_OR_USER') },
  { contact: 'blocked-assign-2', attributes: blockedAt('assignLead', 'INACTIVE_OWNER_OR_USER') },
  { contact: 'blocked-accept', attributes: [owner(rep), ...blockedAt('updateLead', 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST.Status')] },
  { contact: 'blocked-then-closed', attributes: blockedAt('assignLead', 'INACTIVE_OWNER_OR_USER'), close: true },
];

const idOf = (contact: string, inPortal = portal) => handoffWorkflowId({ portalId: inPortal, contactId: contact });

let env: TestWorkflowEnvironment;

async function matching(query: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const execution of env.client.workflow.list({ query })) ids.push(execution.workflowId);
  return ids.sort();
}

/** Visibility is eventually consistent: wait until every plant is listed, closed ones as closed. */
async function untilPlantsVisible(): Promise<void> {
  const scope = `(WorkflowId STARTS_WITH "handoff:${portal}:" OR WorkflowId STARTS_WITH "handoff:${otherPortal}:")`;
  const closed = PLANTS.filter((p) => p.close).length;
  await vi.waitFor(
    async () => {
      expect((await env.client.workflow.count(scope)).count).toBe(PLANTS.length);
      expect((await env.client.workflow.count(`${scope} AND ExecutionStatus != "Running"`)).count).toBe(closed);
    },
    { timeout: 15_000, interval: 200 },
  );
}

beforeAll(async () => {
  env = await devServerEnv();
  for (const plant of PLANTS) {
    const handle = await env.client.workflow.start(canary, {
      workflowId: idOf(plant.contact, plant.portal),
      taskQueue,
      args: [{ wait: '1 hour' }],
      typedSearchAttributes: plant.attributes,
    });
    if (plant.close) await handle.terminate('planted as a closed handoff');
  }
  await untilPlantsVisible();
});

afterAll(async () => {
  for (const plant of PLANTS.filter((p) => !p.close)) {
    await env.client.workflow.getHandle(idOf(plant.contact, plant.portal)).terminate('test over');
  }
  await env.teardown();
});

describe('stuck-lead queries on SQLite visibility', () => {
  it('"awaiting acceptance past deadline" finds only open handoffs whose deadline has passed', async () => {
    expect(await matching(awaitingAcceptancePastDeadline(new Date(), { portalId: portal }))).toEqual([idOf('overdue')]);
  });

  it('narrows "awaiting acceptance past deadline" to one owner, and leaves other portals out', async () => {
    expect(await matching(awaitingAcceptancePastDeadline(new Date(), { portalId: portal, ownerId: otherRep }))).toEqual([]);
    expect(await matching(awaitingAcceptancePastDeadline(new Date(), { portalId: otherPortal, ownerId: rep }))).toEqual([idOf('overdue-elsewhere', otherPortal)]);
  });

  it('"reverted today" finds closed nurture handoffs that had an owner, and none before today', async () => {
    expect(await matching(revertedToday(new Date(), { portalId: portal }))).toEqual([idOf('reverted')]);
    const tomorrow = new Date(Date.now() + 24 * HOUR);
    expect(await matching(revertedToday(tomorrow, { portalId: portal }))).toEqual([]);
  });

  it('"breached by owner" finds that owner\'s breached handoffs, open or closed', async () => {
    expect(await matching(breachedByOwner(rep, { portalId: portal }))).toEqual([idOf('overdue'), idOf('reverted')]);
    expect(await matching(breachedByOwner(otherRep, { portalId: portal }))).toEqual([idOf('overdue-closed')]);
  });

  it('"stuck in sync wait" finds an open MQL handoff only once the sync grace period has passed', async () => {
    expect(await matching(stuckInSyncWait(new Date(), { portalId: portal }))).toEqual([]);
    const graceLater = new Date(Date.now() + 21 * 60_000);
    expect(await matching(stuckInSyncWait(graceLater, { portalId: portal }))).toEqual([idOf('waiting-sync')]);
    expect(await matching(stuckInSyncWait(graceLater, { portalId: portal, syncGraceMinutes: 60 }))).toEqual([]);
  });

  it('"waiting for a rep" finds open handoffs no rep could take yet (LeadStage Routing), in this portal only', async () => {
    expect(await matching(waitingForRep({ portalId: portal }))).toEqual([idOf('waiting-rep')]);
    expect(await matching(waitingForRep({ portalId: otherPortal }))).toEqual([]);
  });

  it('"blocked" finds open handoffs waiting for a fix, by step and by owner', async () => {
    expect(await matching(blockedHandoffs({ portalId: portal }))).toEqual([idOf('blocked-accept'), idOf('blocked-assign-1'), idOf('blocked-assign-2')]);
    expect(await matching(blockedHandoffs({ portalId: portal, step: 'assignLead' }))).toEqual([idOf('blocked-assign-1'), idOf('blocked-assign-2')]);
    expect(await matching(blockedHandoffs({ portalId: portal, ownerId: rep }))).toEqual([idOf('blocked-accept')]);
    expect(() => blockedHandoffs({ step: 'x" OR LeadStage != "y' })).toThrow(RangeError);
  });
});

describe('query construction', () => {
  it('starts "today" at midnight in the given time zone', () => {
    const lateEveningInNewYork = new Date('2026-03-10T02:00:00Z');
    expect(revertedToday(lateEveningInNewYork, { timeZone: 'America/New_York' })).toContain('CloseTime >= "2026-03-09T04:00:00.000Z"');
    expect(revertedToday(lateEveningInNewYork)).toContain('CloseTime >= "2026-03-10T00:00:00.000Z"');
  });

  it('refuses a value that would change the query instead of quoting it', () => {
    expect(() => breachedByOwner('x" OR Breached = false OR OwnerId = "y')).toThrow(RangeError);
    expect(() => revertedToday(new Date(), { timeZone: 'Mars/Olympus' })).toThrow(/time zone/);
  });

  it('links the Web UI workflow list with the query in its filter', () => {
    const url = new URL(workflowsPageUrl('http://127.0.0.1:8233/', 'default', 'LeadStage = "MQL"'));
    expect(url.pathname).toBe('/namespaces/default/workflows');
    expect(url.searchParams.get('query')).toBe('LeadStage = "MQL"');
  });
});

async function leadsStuck(...args: string[]): Promise<{ code: number; out: string }> {
  vi.stubEnv('TEMPORAL_ADDRESS', inject('temporalAddress'));
  try {
    const { code, out } = await cli('leads', 'stuck', ...args);
    return { code, out };
  } finally {
    vi.unstubAllEnvs();
  }
}

describe('handoff-bridge leads stuck', () => {
  it('prints each matching handoff with stage, owner and deadline, and the query to paste', async () => {
    const { code, out } = await leadsStuck('--portal', portal, '--owner', rep, '--ui', 'http://127.0.0.1:8233');
    expect(code).toBe(0);
    const overdueDeadline = new Date(plantedAt.getTime() - HOUR).toISOString();
    expect(out).toContain('Awaiting acceptance past deadline: 1');
    expect(out).toMatch(new RegExp(`${idOf('overdue')}\\s+AwaitingAcceptance\\s+owner ${rep}\\s+deadline ${overdueDeadline}`));
    expect(out).toContain('Reverted today: 1');
    expect(out).toContain('Breached by owner: 2');
    expect(out).toContain('Blocked (a CRM refused a write; fix it, then `lead retry`): 1');
    expect(out).toMatch(new RegExp(`${idOf('blocked-accept')}\\s+Blocked\\s+owner ${rep}\\s+blocked on updateLead INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST.Status`));
    expect(out).not.toContain('Stuck in sync wait');
    expect(out).not.toContain(idOf('due-later'));
    const printedQueries = [...out.matchAll(/^ {2}query: (.+)$/gm)].map((m) => m[1] ?? '');
    expect(printedQueries).toHaveLength(4);
    // What it prints is what an operator pastes: the first query, run as printed, finds the lead.
    expect(await matching(printedQueries[0] ?? '')).toEqual([idOf('overdue')]);
    expect(out).toContain(`UI:    ${workflowsPageUrl('http://127.0.0.1:8233', 'default', printedQueries[0] ?? '')}`);
    // Last, the routing pool as the portal's routing queue recorded it: this portal has none.
    expect(out.trimEnd().split('\n').at(-1)).toBe('Routing pool: none recorded (the contract names no routing.pool, or no worker has read it yet)');
  });

  it('counts every blocked handoff by cause, even past --limit', async () => {
    const { out } = await leadsStuck('--portal', portal, '--query', 'blocked', '--limit', '1');
    expect(out).toContain('Blocked (a CRM refused a write; fix it, then `lead retry`): 3');
    expect(out).toContain('  by cause: assignLead INACTIVE_OWNER_OR_USER: 2\n  by cause: updateLead INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST.Status: 1');
    expect(out).toContain('… and 2 more');
    const json = await leadsStuck('--portal', portal, '--query', 'blocked', '--limit', '1', '--json');
    const [blocked] = JSON.parse(json.out) as Array<{ total: number; rows: unknown[]; byCause: Array<{ cause: string; count: number }> }>;
    expect([blocked?.total, blocked?.rows.length]).toEqual([3, 1]);
    expect(blocked?.byCause).toEqual([
      { cause: 'assignLead INACTIVE_OWNER_OR_USER', count: 2 },
      { cause: 'updateLead INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST.Status', count: 1 },
    ]);
  });

  it('says how many more match when there are more than --limit', async () => {
    const { out } = await leadsStuck('--portal', portal, '--owner', rep, '--query', 'breached', '--limit', '1');
    expect(out).toContain('Breached by owner: 2');
    expect(out).toContain('… and 1 more');
  });

  it('prints the same results as JSON with --json, for scripts', async () => {
    const { code, out } = await leadsStuck('--portal', portal, '--owner', rep, '--query', 'breached', '--limit', '1', '--json');
    expect(code).toBe(0);
    const results = JSON.parse(out) as Array<{ name: string; total: number; query: string; rows: Array<{ workflowId: string; ownerId?: string }> }>;
    expect(results.map((r) => [r.name, r.total, r.rows.length])).toEqual([['breached', 2, 1]]);
    expect(results[0]?.rows[0]?.ownerId).toBe(rep);
  });

  it('refuses --query breached without an owner, before connecting', async () => {
    const { code, out } = await leadsStuck('--query', 'breached');
    expect(code).toBe(2);
    expect(out).toContain('--query breached needs --owner ID');
  });

  it('runs as `handoff-bridge leads stuck` through the CLI entrypoint', async () => {
    const { stdout } = await promisify(execFile)(
      new URL('../node_modules/.bin/tsx', import.meta.url).pathname,
      ['bin/handoff-bridge.mjs', 'leads', 'stuck', '--portal', portal, '--query', 'past-deadline'],
      { cwd: new URL('..', import.meta.url).pathname, env: { ...process.env, TEMPORAL_ADDRESS: inject('temporalAddress') }, timeout: 30_000 },
    );
    expect(stdout).toContain('Awaiting acceptance past deadline: 1');
    expect(stdout).toContain(idOf('overdue'));
  });
});
