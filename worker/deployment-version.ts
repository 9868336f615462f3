/**
 * Worker Versioning for deploys over running handoffs: each worker process belongs to one version of
 * the worker deployment, named by the hash of the workflow bundle it runs, so two processes with the
 * same code are one version and any change of workflow code is a new one. Workflows are PINNED to the
 * version they started on (set here, on versioned workers only: the server rejects a behaviour
 * declared in workflow code when the worker is unversioned, as in tests and the dev server). The
 * long-lived entity workflows continue as new onto a new current version (workflows/entity-rollover.ts),
 * so an old version is left with its handoffs only.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { isGrpcServiceError, type Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import { bundleWorkflowCode, type WorkerDeploymentOptions } from '@temporalio/worker';
import type { Logger } from 'pino';
import { prebuiltWorkflowBundle } from './workflow-bundle';
import { workflowBundleOptions } from './workflow-bundle-options';

const GRPC_NOT_FOUND = 5;

/** The worker deployment the shipped manifests name (WORKER_DEPLOYMENT_NAME in docker-compose.yml and deploy/k8s). */
export const DEFAULT_DEPLOYMENT_NAME = 'handoff-bridge';

/** `b-` and the first 16 hex digits of the bundle's sha256. */
export function bundleBuildId(bundle: { code: string } | { codePath: string }): string {
  const code = 'code' in bundle ? bundle.code : readFileSync(bundle.codePath, 'utf8');
  return `b-${createHash('sha256').update(code).digest('hex').slice(0, 16)}`;
}

export function versionedWorkerOptions(deploymentName: string, buildId: string): WorkerDeploymentOptions {
  return { version: { deploymentName, buildId }, useWorkerVersioning: true, defaultVersioningBehavior: 'PINNED' };
}

/**
 * Makes `buildId` the deployment's current version: new workflows go to it,
 * PINNED ones stay where they are. The server refuses until it has seen the version's pollers on every
 * task queue the current version polls, so this retries until they have reported (seconds). It then
 * waits until the server says the change reached every task queue partition
 * (`routingConfigUpdateState`): before that, a workflow started at once could still go to the old
 * version (a cluster test saw one of five do so).
 */
export async function setCurrentVersion(client: Client, deploymentName: string, buildId: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await client.workflowService.setWorkerDeploymentCurrentVersion({
        namespace: client.options.namespace,
        deploymentName,
        buildId,
        identity: client.options.identity,
      });
      break;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`could not make ${deploymentName}:${buildId} the current version within ${timeoutMs} ms: ${(err as Error).message}`);
      await sleep(500);
    }
  }
  const IN_PROGRESS = proto.temporal.api.enums.v1.RoutingConfigUpdateState.ROUTING_CONFIG_UPDATE_STATE_IN_PROGRESS;
  for (;;) {
    const { workerDeploymentInfo } = await client.workflowService.describeWorkerDeployment({ namespace: client.options.namespace, deploymentName });
    if (workerDeploymentInfo?.routingConfigUpdateState !== IN_PROGRESS) return;
    if (Date.now() > deadline) throw new Error(`${deploymentName}:${buildId} is the current version, but the server had not routed every task queue to it within ${timeoutMs} ms`);
    await sleep(200);
  }
}

/** A versioned process's bundle (the prebuilt one when it matches the sources) and its build id. */
export async function versionedBundle(logger?: Pick<Logger, 'warn'>): Promise<{ bundle: { code: string } | { codePath: string }; buildId: string }> {
  const bundle = prebuiltWorkflowBundle({ logger }) ?? { code: (await bundleWorkflowCode(workflowBundleOptions())).code };
  return { bundle, buildId: bundleBuildId(bundle) };
}

/**
 * The first deploy of a deployment: nothing is current yet, so workflows started now would wait for
 * unversioned workers that no longer exist; this process's version becomes current. Every later
 * deploy is the operator's decision (`temporal worker deployment set-current-version`).
 */
export async function adoptIfNoneCurrent(client: Client, deploymentName: string, buildId: string): Promise<boolean> {
  try {
    const { workerDeploymentInfo } = await client.workflowService.describeWorkerDeployment({ namespace: client.options.namespace, deploymentName });
    if (workerDeploymentInfo?.routingConfig?.currentDeploymentVersion?.buildId) return false;
  } catch (err) {
    if (!(isGrpcServiceError(err) && Number(err.code) === GRPC_NOT_FOUND)) throw err;
  }
  await setCurrentVersion(client, deploymentName, buildId);
  return true;
}
