/**
 * Deploying a changed leadHandoff over open handoffs, on the production-shape cluster (PostgreSQL,
 * 4 shards): 200 handoffs park on v1 of the worker deployment, v2 (a leadHandoff whose commands differ
 * from v1's) becomes the current version, and then every v1 handoff still completes on v1 with no
 * failed workflow task, new handoffs run v2, and visibility (the UI's list) tells them apart by build id.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import proto from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterUp } from '../../worker/cluster/cluster';
import { TEMPORAL_SERVER_VERSION } from '../../worker/cluster/layout';
import { bundleBuildId, setCurrentVersion } from '../../worker/deployment-version';
import { rejectUpdate, type leadHandoff } from '../../workflows/handoff';
import { handoffWorkflowId } from '../../api/ids';
import { cli } from '../helpers/cli';
import { eventually, startHandoffHarness, workAroundTheClock, type HandoffHarness } from '../helpers/handoff';
import { bundleCurrent, bundleEdited, withLeadingTimer } from './bundles';
import { startTestCluster, type TestCluster } from './cluster-env';
import { startVersionedWorkers, type VersionedWorkers } from './versioned-workers';

const PARKED = 200;
const NEW_ON_V2 = 5;
const EventType = proto.temporal.api.enums.v1.EventType;
type EventType = proto.temporal.api.enums.v1.EventType;

let env: TestCluster;
let client: Client;
let connection: NativeConnection;
let harness: HandoffHarness;
const running: VersionedWorkers[] = [];
/** What the deploy left on the cluster, for the replay check. */
let deployed: { deploymentName: string; v1: { code: string }; v2: { code: string }; buildV1: string; buildV2: string } | undefined;

beforeAll(async () => {
  env = await startTestCluster();
  if (!env.cluster) return;
  connection = await NativeConnection.connect({ address: env.cluster.address });
  client = new Client({ connection: await Connection.connect({ address: env.cluster.address }), namespace: env.cluster.namespace });
  harness = await startHandoffHarness({ tweak: workAroundTheClock });
}, 1_800_000);

afterAll(async () => {
  for (const workers of running) await workers.stop();
  await harness?.stop();
  await client?.connection.close();
  await connection?.close();
  await env?.stop();
}, 120_000);

async function startHandoffs(taskQueue: string, count: number): Promise<WorkflowHandle<typeof leadHandoff>[]> {
  const handles: WorkflowHandle<typeof leadHandoff>[] = [];
  for (let i = 0; i < count; i += 20) {
    const batch = Array.from({ length: Math.min(20, count - i) }, () => {
      const contactId = harness.createMql();
      return client.workflow.start<typeof leadHandoff>('leadHandoff', {
        taskQueue,
        workflowId: handoffWorkflowId({ portalId: harness.portalId, contactId }),
        args: [{ portalId: harness.portalId, contactId, trigger: { source: 'webhook', observedAt: new Date().toISOString() } }],
      });
    });
    handles.push(...(await Promise.all(batch)));
  }
  return handles;
}

async function disqualifyAll(handles: WorkflowHandle<typeof leadHandoff>[]): Promise<void> {
  for (let i = 0; i < handles.length; i += 20) {
    await Promise.all(handles.slice(i, i + 20).map((h) => h.executeUpdate(rejectUpdate, { args: [{ actor: 'rep', via: 'cli', reason: 'WRONG_INDUSTRY' }] })));
  }
}

/** The event types of a handoff's history, in order. */
async function eventTypes(handle: WorkflowHandle): Promise<EventType[]> {
  const history = await handle.fetchHistory();
  return (history.events ?? []).map((e) => e.eventType ?? EventType.EVENT_TYPE_UNSPECIFIED);
}

describe('npm run cluster', () => {
  it('runs Temporal on PostgreSQL with 4 history shards and reports a running cluster as it is', async (ctx) => {
    if (env.skip !== undefined || !env.cluster) return ctx.skip(env.skip);
    const info = await client.workflowService.getClusterInfo({});
    expect({ shards: info.historyShardCount, persistence: info.persistenceStore, visibility: info.visibilityStore, version: info.serverVersion }).toEqual({
      shards: 4,
      persistence: 'postgres12',
      visibility: 'postgres12',
      version: TEMPORAL_SERVER_VERSION,
    });
    const again = await clusterUp({ dataDir: env.cluster.dataDir });
    expect(again).toMatchObject({ started: false, address: env.cluster.address });
  });
});

describe('deploying a changed leadHandoff over open handoffs (cluster)', () => {
  it('keeps every open handoff on the version it started on and sends new ones to the new version', async (ctx) => {
    if (env.skip !== undefined) return ctx.skip(env.skip);
    const taskQueue = `deploy-${randomUUID()}`;
    const deploymentName = `handoff-bridge-${randomUUID().slice(0, 8)}`;
    const [v1, v2] = await Promise.all([bundleCurrent(), bundleEdited(withLeadingTimer)]);
    const [buildV1, buildV2] = [bundleBuildId(v1), bundleBuildId(v2)];
    expect(buildV1).not.toBe(buildV2);
    deployed = { deploymentName, v1, v2, buildV1, buildV2 };

    running.push(await startVersionedWorkers({ connection, client, taskQueue, harness, bundle: v1, deploymentName, buildId: buildV1 }));
    await setCurrentVersion(client, deploymentName, buildV1);
    const parked = await startHandoffs(taskQueue, PARKED);
    await harness.inbox.waitFor((alerts) => alerts.length >= PARKED, 240_000);

    running.push(await startVersionedWorkers({ connection, client, taskQueue, harness, bundle: v2, deploymentName, buildId: buildV2 }));
    await setCurrentVersion(client, deploymentName, buildV2);
    const fresh = await startHandoffs(taskQueue, NEW_ON_V2);
    await harness.inbox.waitFor((alerts) => alerts.length >= PARKED + NEW_ON_V2, 60_000);

    await disqualifyAll([...parked, ...fresh]);
    const results = await Promise.all([...parked, ...fresh].map((h) => h.result()));
    expect(results.map((r) => r.outcome)).toEqual(Array(PARKED + NEW_ON_V2).fill('disqualified'));

    // No workflow task failed (a nondeterminism error fails the task and is retried forever), and
    // each handoff's first command is the one its version makes: v2 starts with its timer.
    const firstCommand = (types: EventType[]) => types.find((t) => t === EventType.EVENT_TYPE_TIMER_STARTED || t === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED || t === EventType.EVENT_TYPE_MARKER_RECORDED);
    for (const [handles, onV2] of [[parked, false], [fresh, true]] as const) {
      for (const handle of handles) {
        const types = await eventTypes(handle);
        expect(types.filter((t) => t === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED), handle.workflowId).toEqual([]);
        expect(firstCommand(types) === EventType.EVENT_TYPE_TIMER_STARTED, handle.workflowId).toBe(onV2);
      }
    }

    // What the Temporal UI lists for each version (its filter box takes the same query).
    const count = async (buildId: string) => (await client.workflow.count(`TemporalWorkerDeploymentVersion = "${deploymentName}:${buildId}" AND WorkflowType = "leadHandoff"`)).count;
    await eventually(async () => (await count(buildV1)) === PARKED && (await count(buildV2)) === NEW_ON_V2, 'visibility lists 200 handoffs on v1 and 5 on v2', 30_000);
    const pinned = await client.workflow.count(`BuildIds = "pinned:${deploymentName}:${buildV1}" AND WorkflowType = "leadHandoff"`);
    expect(pinned.count).toBe(PARKED);
  }, 600_000);

  it('replay-check passes for the histories a bundle serves and names the first divergence otherwise', async (ctx) => {
    if (env.skip !== undefined || !env.cluster) return ctx.skip(env.skip);
    if (!deployed) throw new Error('the deploy test did not leave its histories');
    const { deploymentName, v1, v2, buildV1 } = deployed;
    const dir = mkdtempSync(join(tmpdir(), 'replay-check-'));
    const [v1Path, v2Path] = [join(dir, 'v1.js'), join(dir, 'v2.js')];
    writeFileSync(v1Path, v1.code);
    writeFileSync(v2Path, v2.code);
    const onV1 = `TemporalWorkerDeploymentVersion = "${deploymentName}:${buildV1}"`;
    const check = async (bundle: string) => {
      const result = await cli('replay-check', '--address', env.cluster?.address ?? '', '--bundle', bundle, '--query', onV1);
      return { code: result.code, out: result.out };
    };
    try {
      const same = await check(v1Path);
      expect(same.out).toContain(`replayed ${PARKED} histories`);
      expect(same.code).toBe(0);

      // v2 makes a timer its first command where v1 histories recorded a marker: every one diverges.
      const changed = await check(v2Path);
      expect(changed.code).toBe(1);
      expect(changed.out).toContain(`DIVERGED: ${PARKED} of ${PARKED} histories`);
      expect(changed.out).toMatch(/first divergence: workflow handoff:\S+ \(run [0-9a-f-]+\) at event \d+ MARKER_RECORDED \(marker core_local_activity\):\n  \[TMPRL1100\] Nondeterminism error/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
