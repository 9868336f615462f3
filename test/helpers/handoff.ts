/**
 * Everything a handoff test needs, real end to end: both sandboxes (driven through the real clients),
 * a portal configured for the default contract, reps that exist as Salesforce users, an inbox that
 * receives the rep alerts over HTTP, and the bridge's three workers on a fresh task queue.
 */
import type { Priority } from '@temporalio/common';
import { msToTs } from '@temporalio/common/lib/time';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker, WorkerOptions } from '@temporalio/worker';
import Fastify from 'fastify';
import { DateTime } from 'luxon';
import { afterEach, beforeEach, expect, inject } from 'vitest';
import { actionUrls, createNotifier } from '../../activities/notify';
import { createHubSpotAdapter, createSalesforceAdapter } from '../../activities/crm';
import type { PoolSync } from '../../activities/routing';
import type { HubSpotPort, SalesforcePort } from '../../activities/ports';
import { WEEKDAYS, type WorkingHours } from '../../mappings/calendar';
import { SALESFORCE_LEAD_FIELDS as SF } from '../../mappings/crm';
import { loadContract, presetPath, type PresetName } from '../../mappings/load';
import type { Contract } from '../../mappings/contract';
import { mqlContactProperties, prepareSandboxPortal } from '../../sandbox/prepare-portal';
import { startSandboxes, type Sandboxes } from '../../sandbox';
import type { SalesforceStoredRecord } from '../../sandbox/salesforce/store';
import { createBridgeWorkers } from '../../worker/bridge-workers';
import type { HotLaneWarmUp } from '../../worker/hot-lane-warm-up';
import type { WorkerLanes } from '../../worker/config';
import { handoffWorkflowId } from '../../api/ids';
import { leadHandoff, stateQuery } from '../../workflows/handoff';
import type { HandoffState } from '../../api/handoff';
import { freePort } from '../../worker/dev-server';
import { registerHubSpotWebhookRoute, type WebhookRouteDeps } from '../../worker/webhook-route';
import { signedRequest } from '../../bench/support/ingress';
import { mqlWebhookEvent } from '../../sandbox/hubspot/mql-event';
import { devServerEnv, TEST_WORKFLOW_THREAD, uniqueTaskQueue } from './temporal';

export const LINK_SECRET = 'test-link-signing-secret-0123456789abcdef';

export interface ReceivedAlert {
  repIndex: number;
  kind: string;
  text: string;
  acceptUrl?: string;
  rejectUrl?: string;
}

export interface Inbox {
  url: string;
  alerts: ReceivedAlert[];
  waitFor(predicate: (alerts: ReceivedAlert[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** A local listener standing in for Slack's incoming webhooks. */
export async function startInbox(): Promise<Inbox> {
  const alerts: ReceivedAlert[] = [];
  const app = Fastify();
  app.post<{ Params: { rep: string } }>('/slack/:rep', async (request) => {
    // Reps post to /slack/<index>; breaches go to /slack/manager (index -1), blocked handoffs to /slack/revops (-2).
    const text = JSON.stringify(request.body);
    const urls = [...text.matchAll(/https?:\/\/[^"\\]+\/actions\/[A-Za-z0-9._-]+/g)].map((m) => m[0]);
    const channel = request.params.rep;
    alerts.push({
      repIndex: channel === 'manager' ? -1 : channel === 'revops' ? -2 : Number(channel),
      kind: /Handoff blocked/.test(text) ? 'blocked' : /Reminder/i.test(text) ? 'reminder' : /breach/i.test(text) ? 'breach' : 'alert',
      text,
      acceptUrl: urls.find((_, i) => i === 0),
      rejectUrl: urls.find((_, i) => i === 1),
    });
    return { ok: true };
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url,
    alerts,
    async waitFor(predicate, timeoutMs = 20_000) {
      await eventually(() => predicate(alerts), 'the inbox condition', timeoutMs);
    },
    close: () => app.close(),
  };
}

export interface HandoffHarness {
  sandboxes: Sandboxes;
  contract: Contract;
  hubspot: HubSpotPort;
  salesforce: SalesforcePort;
  inbox: Inbox;
  portalId: string;
  reps: Contract['routing']['reps'];
  nurtureListId: string;
  /** Creates a contact that meets the contract's MQL definition; returns its id. */
  createMql(overrides?: Record<string, string>): string;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  /** Run the emulated connector (manually triggered with `sandboxes.connector.syncNow()`). */
  connector?: boolean;
  /** The shipped preset the portal is configured for (default: the default preset). */
  preset?: PresetName;
  tweak?: (contract: Contract) => void;
}

export async function startHandoffHarness(options: HarnessOptions = {}): Promise<HandoffHarness> {
  const preset = loadContract(presetPath(options.preset ?? 'default'));
  const inbox = await startInbox();
  const sandboxes = await startSandboxes({
    // A portal of its own per harness, so handoff ids never collide across tests on one server.
    // Search sees writes at once: the sweep tests search right after creating their contacts.
    hubspot: { portalId: 10_000 + Math.floor(Math.random() * 89_999_999), searchLagMs: 0 },
    connector: options.connector
      ? { cycleMs: 60_000, fieldMappings: preset.fieldMappings, inclusion: () => true, autoStart: false }
      : undefined,
  });
  const { contract, nurtureListId } = prepareSandboxPortal(preset, sandboxes, inbox.url);
  contract.handoff.alerts.push({ channel: 'slack', target: `${inbox.url}/slack/revops`, kinds: ['blocked'] });
  contract.handoff.syncGraceMinutes = options.connector ? contract.handoff.syncGraceMinutes : 0;
  options.tweak?.(contract);

  const hubspot = createHubSpotAdapter({ accessToken: sandboxes.hubspot.accessToken, basePath: sandboxes.hubspot.baseUrl });
  const salesforce = createSalesforceAdapter({
    instanceUrl: sandboxes.salesforce.instanceUrl,
    loginUrl: sandboxes.salesforce.loginUrl,
    clientId: sandboxes.salesforce.clientId,
    clientSecret: sandboxes.salesforce.clientSecret,
  });

  return {
    sandboxes,
    contract,
    hubspot,
    salesforce,
    inbox,
    portalId: sandboxes.hubspot.portalId,
    reps: contract.routing.reps,
    nurtureListId,
    createMql(overrides = {}) {
      return sandboxes.hubspot.store.createContact(mqlContactProperties(overrides)).id;
    },
    async stop() {
      await sandboxes.stop();
      await inbox.close();
    },
  };
}

/**
 * Starts the contact's handoff (its production workflow id) as the CLI would, and returns its handle;
 * `priority` as the ingress starts a priority lead's (api/priority.ts handoffPriority).
 */
export function startHandoffOf(env: TestWorkflowEnvironment, harness: HandoffHarness, taskQueue: string, contactId: string, priority?: Priority) {
  return env.client.workflow.start(leadHandoff, {
    taskQueue,
    ...(priority ? { priority } : {}),
    workflowId: handoffWorkflowId({ portalId: harness.portalId, contactId }),
    args: [{ portalId: harness.portalId, contactId, trigger: { source: 'cli', observedAt: new Date().toISOString() } }],
  });
}

/**
 * Runs `fn` while the bridge's three workers serve a fresh task queue (or `options.taskQueue`: workers
 * that replace earlier ones, as after a deploy); always shuts them down.
 */
export async function withHandoffWorkers<T>(
  env: TestWorkflowEnvironment,
  harness: HandoffHarness,
  fn: (ctx: { taskQueue: string; pool: PoolSync; queues: string[]; workers: Worker[]; hotLaneWarmUp?: HotLaneWarmUp }) => Promise<T>,
  options: { taskQueue?: string; overrides?: Partial<WorkerOptions>; lanes?: WorkerLanes; productionThreads?: boolean } = {},
): Promise<T> {
  const taskQueue = options.taskQueue ?? uniqueTaskQueue('handoff');
  const workers = await createBridgeWorkers({
    ...(options.lanes ? { lanes: options.lanes } : {}),
    // The test process's one workflow thread for the three workflow workers (TEST_WORKFLOW_THREAD):
    // each thread's start costs 0.6–1 s of CPU, and the suite starts workers for almost every case.
    // `productionThreads` keeps the shipped layout (the orchestration worker's own thread) where a
    // test measures the lanes against a burst.
    ...(options.productionThreads ? {} : { workflowThread: TEST_WORKFLOW_THREAD }),
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    client: env.client,
    taskQueue,
    contract: () => harness.contract,
    portalId: harness.portalId,
    hubspot: harness.hubspot,
    salesforce: harness.salesforce,
    notifier: createNotifier({ from: 'handoff-bridge@test.example' }),
    actionLinks: (link) => actionUrls('http://127.0.0.1:8787', link, LINK_SECRET),
    workflowBundle: { codePath: inject('workflowBundlePath') },
    ...(options.overrides ? { overrides: options.overrides } : {}),
  });
  const running = workers.run();
  const stop = async (): Promise<void> => {
    workers.shutdown();
    await running;
  };
  runningWorkerSets.add(stop);
  try {
    return await fn({ taskQueue, pool: workers.pool, queues: workers.workers.map((w) => w.options.taskQueue), workers: workers.workers, ...(workers.hotLaneWarmUp ? { hotLaneWarmUp: workers.hotLaneWarmUp } : {}) });
  } finally {
    runningWorkerSets.delete(stop);
    await stop();
  }
}

/** The worker sets withHandoffWorkers is running, each with how to stop it. */
const runningWorkerSets = new Set<() => Promise<void>>();
/** Bumped when a test's leftovers are stopped: waits begun before then give up (see stopWhatATestLeftRunning). */
let testEpoch = 0;

/**
 * A test's end for files that run handoff workers on an environment of their own: what the test left
 * running first (stopWhatATestLeftRunning), then the harness and the environment.
 */
export async function endHandoffTest(harness: HandoffHarness | undefined, env: TestWorkflowEnvironment | undefined): Promise<void> {
  await stopWhatATestLeftRunning();
  await Promise.all([harness?.stop(), env?.teardown()]);
}

/**
 * Before an environment's teardown (endHandoffTest). A test that outran its timeout is
 * abandoned by vitest while its body still runs: its waits (eventually, skipDay) would go on calling
 * the server, and its workers would go on polling, reading the routing pool and holding the
 * connection ("Cannot close connection while Workers hold a reference to it"), for minutes, while the
 * next tests run. This ends its waits at their next poll and shuts its workers down, so the teardown
 * finds nothing running and the retry starts clean.
 */
async function stopWhatATestLeftRunning(): Promise<void> {
  testEpoch += 1;
  const left = [...runningWorkerSets];
  runningWorkerSets.clear();
  await Promise.all(left.map((stop) => stop().catch(() => undefined)));
}

/**
 * Runs `fn` while the bridge's workers and the HubSpot webhook ingress (on a free loopback port) serve;
 * `fn` gets the webhook URL.
 */
export async function withWebhookIngress<T>(
  env: TestWorkflowEnvironment,
  harness: HandoffHarness,
  options: Pick<WebhookRouteDeps, 'priorityLeads' | 'hotLaneClient'> & { productionThreads?: boolean },
  fn: (webhookUrl: string) => Promise<T>,
): Promise<T> {
  const { productionThreads, ...routeOptions } = options;
  return withHandoffWorkers(env, harness, async ({ taskQueue }) => {
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    const app = Fastify();
    await registerHubSpotWebhookRoute(app, {
      client: env.client,
      taskQueue,
      clientSecret: harness.sandboxes.hubspot.clientSecret,
      publicUrl,
      portalId: harness.portalId,
      ...routeOptions,
    });
    await app.listen({ port, host: '127.0.0.1' });
    try {
      return await fn(`${publicUrl}/webhooks/hubspot`);
    } finally {
      await app.close();
    }
  }, { productionThreads });
}

/** A demo request today: the default contract's first priority predicate (normal MQLs score 75). */
export function demoRequest(): Record<string, string> {
  return { recent_conversion_date: new Date().toISOString(), recent_conversion_event_name: 'Request a demo', num_conversion_events: '1' };
}

/** POSTs MQL events for `contactIds` to a webhook URL, signed with HubSpot's v3 signature; the ingress's answer. */
export async function sendMqlWebhook(url: string, harness: HandoffHarness, contactIds: string[]): Promise<Response> {
  const events = contactIds.map((contactId, i) => mqlWebhookEvent({ portalId: harness.portalId, contactId, eventId: Date.now() * 1000 + i }));
  const { body, headers } = signedRequest(url, JSON.stringify(events), harness.sandboxes.hubspot.clientSecret);
  return fetch(url, { method: 'POST', headers, body });
}

const AROUND_THE_CLOCK = Object.fromEntries(WEEKDAYS.map((day) => [day, [['00:00', '24:00']]])) as WorkingHours;

/**
 * A contract tweak for tests on the dev server (real time): the business calendar and every rep work
 * around the clock, every day, so routing and deadlines never depend on when the test runs.
 */
export function workAroundTheClock(contract: Contract): void {
  contract.calendar.workingHours = AROUND_THE_CLOCK;
  contract.calendar.holidays = [];
  for (const rep of contract.routing.reps) {
    rep.workingHours = AROUND_THE_CLOCK;
    rep.holidays = [];
    rep.outOfOffice = [];
  }
}

/**
 * Every Salesforce lead that stands for the contact: linked by the HubSpot-id external field, or, as
 * the native connector links them, by email. A handoff that never duplicates keeps this at one.
 */
export function salesforceLeadsOf(harness: HandoffHarness, contactId: string): SalesforceStoredRecord[] {
  const email = harness.sandboxes.hubspot.store.value(contactId, 'email')?.toLowerCase();
  return harness.sandboxes.salesforce.store
    .list('Lead')
    .filter((lead) => lead.fields[SF.hubspotContactId] === contactId || (email !== undefined && String(lead.fields[SF.email] ?? '').toLowerCase() === email));
}

/** Polls `probe` (real time) until it returns a truthy value, and returns that value. */
export async function eventually<T>(probe: () => T | Promise<T>, what: string, timeoutMs = 20_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  const epoch = testEpoch;
  for (;;) {
    if (epoch !== testEpoch) throw new Error(`abandoned: the test ended while waiting for ${what}`);
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`not met within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * A fresh harness (around the clock, then `tweak`) and a dev-server environment for every test of the
 * calling file, torn down after each; read them through the getters inside a test.
 */
export function useDevServerHarness(tweak?: (contract: Contract) => void): { env: () => TestWorkflowEnvironment; h: () => HandoffHarness } {
  let env: TestWorkflowEnvironment | undefined;
  let h: HandoffHarness | undefined;
  const aroundTheClock = (contract: Contract): void => {
    workAroundTheClock(contract);
    tweak?.(contract);
  };
  beforeEach(async () => {
    [env, h] = await Promise.all([devServerEnv(), startHandoffHarness({ tweak: aroundTheClock })]);
  });
  afterEach(() => endHandoffTest(h, env));
  const required = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('used outside a test');
    return value;
  };
  return { env: () => required(env), h: () => required(h) };
}

/**
 * Moves a time-skipping server's clock forward to the next `weekday` (1 = Monday) at `time` in London,
 * the default contract's zone, passing over the `holidays` given (ISO dates), so the target is business time.
 */
export async function skipToLondon(env: TestWorkflowEnvironment, weekday: number, time: string, holidays: readonly string[] = []): Promise<DateTime> {
  const now = DateTime.fromMillis(await env.currentTimeMs(), { zone: 'Europe/London' });
  const [hour, minute] = time.split(':').map(Number);
  let target = now.set({ hour, minute, second: 0, millisecond: 0 });
  while (target.weekday !== weekday || target <= now || holidays.includes(target.toISODate() ?? '')) target = target.plus({ days: 1 }).set({ hour, minute });
  await env.sleep(target.toMillis() - now.toMillis());
  return target;
}

/** Sets a Salesforce user's IsActive the way an admin's tool would: a PATCH on the REST API. */
export async function setUserActive(h: HandoffHarness, userId: string, active: boolean): Promise<void> {
  const { instanceUrl, accessToken } = h.sandboxes.salesforce;
  const response = await fetch(`${instanceUrl}/services/data/v62.0/sobjects/User/${userId}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ IsActive: active }),
  });
  expect(response.status).toBe(204);
}

const DAY_MS = 24 * 60 * 60_000;

/**
 * Waits until the server holds no workflow task of the handoff's current run open: the last one
 * scheduled has completed. A query can show what a workflow task did before the worker's completion
 * of it reaches the server; skipping a day then times that task out in server time (its 10 s
 * start-to-close) under the worker, whose completion is refused ("workflow execution already
 * completed" when it was the continue-as-new) and the run stalls behind the retry.
 */
async function untilWorkflowTaskDone(handle: WorkflowHandle<typeof leadHandoff>): Promise<void> {
  await eventually(async () => {
    const events = (await handle.fetchHistory()).events ?? [];
    const lastScheduled = events.findLastIndex((e) => e.workflowTaskScheduledEventAttributes);
    return lastScheduled < 0 || events.slice(lastScheduled).some((e) => e.workflowTaskCompletedEventAttributes) || undefined;
  }, `${handle.workflowId}: its last workflow task completed`);
}

/**
 * Moves the time-skipping clock a day once the handoff's last workflow task has completed. The server
 * skips no time while an activity or workflow task is outstanding, so the skip waits (real time) for
 * them; one that never ends would hold it until the test's timeout, which then tears the environment
 * down under the still-running workers. Waits at most 20 s instead and fails naming what held the
 * clock, so a stalled try ends cleanly (its skip cancelled) and a retry starts from a fresh environment.
 */
export async function skipDay(env: TestWorkflowEnvironment, handle: WorkflowHandle<typeof leadHandoff>, limitMs = 20_000): Promise<void> {
  await untilWorkflowTaskDone(handle);
  // env.sleep's own call, made cancellable: an abandoned call left pending would be retried by the
  // client after the environment's teardown, on a closed channel (an uncaught error in a timer).
  const cancel = new AbortController();
  const { testService } = env.connection;
  if (!testService) throw new Error('skipDay needs the time-skipping test server');
  const slept = env.connection.withAbortSignal(cancel.signal, () => testService.unlockTimeSkippingWithSleep({ duration: msToTs(DAY_MS) }));
  let timer: NodeJS.Timeout | undefined;
  const held = new Promise<'held'>((resolve) => (timer = setTimeout(() => resolve('held'), limitMs)));
  try {
    if ((await Promise.race([slept, held])) !== 'held') return;
  } finally {
    clearTimeout(timer);
  }
  cancel.abort();
  await slept.catch(() => undefined);
  const { raw } = await handle.describe();
  const open = [
    ...(raw.pendingActivities ?? []).map((a) => `activity ${a.activityType?.name} (state ${a.state}, attempt ${a.attempt}${a.lastFailure?.message ? `, last failure: ${a.lastFailure.message}` : ''})`),
    ...(raw.pendingWorkflowTask ? [`workflow task (state ${raw.pendingWorkflowTask.state}, attempt ${raw.pendingWorkflowTask.attempt})`] : []),
  ];
  throw new Error(`${handle.workflowId}: a day's skip did not end within ${limitMs} ms real time; open: ${open.join('; ') || 'nothing on this handoff (another workflow held the clock)'}`);
}

/**
 * A lead no rep can take re-checks routing daily: moves the time-skipping clock a day at a time, each
 * day waiting (real time) for that day's re-check, until the handoff's run has continued as new.
 * Returns the run ids in order (the first, then the new one) and the state after the last re-check.
 */
export async function skipDaysUntilContinued(env: TestWorkflowEnvironment, handle: WorkflowHandle<typeof leadHandoff>, maxDays = 60): Promise<{ runs: string[]; state: HandoffState }> {
  const rechecks = (s: HandoffState) => s.timeline.filter((t) => t.event === 'note' && /^no rep available/.test(t.detail ?? '')).length;
  const runs = [(await handle.describe()).runId];
  let state = await handle.query(stateQuery);
  for (let day = 1; runs.length < 2; day++) {
    if (day > maxDays) throw new Error(`${handle.workflowId} did not continue as new within ${maxDays} days of re-checks`);
    const before = rechecks(state);
    await skipDay(env, handle);
    state = await eventually(async () => {
      const s = await handle.query(stateQuery);
      return rechecks(s) > before ? s : undefined;
    }, `the re-check of day ${day}`);
    const { runId } = await handle.describe();
    if (runId !== runs.at(-1)) runs.push(runId);
  }
  return { runs, state };
}

/** A contract tweak: reps around the clock, routed only among the members of a Salesforce group read every 1.2 s (real time). */
export function groupPool(contract: Contract): void {
  workAroundTheClock(contract);
  contract.routing.pool = { salesforceGroup: 'Inbound_SDRs', refreshMinutes: 0.02 };
}

/** Creates the group `groupPool` names, empty (nobody takes new leads); returns how to add a rep to it. */
export function createPoolGroup(harness: HandoffHarness): (repId: string) => void {
  const sf = harness.sandboxes.salesforce.store;
  const group = sf.create('Group', { Name: 'Inbound SDRs', DeveloperName: 'Inbound_SDRs', Type: 'Regular' });
  return (repId) => {
    sf.create('GroupMember', { GroupId: group.id, UserOrGroupId: repId });
  };
}
