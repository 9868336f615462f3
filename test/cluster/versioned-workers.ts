/** The bridge's three workers as one version of a worker deployment, on a cluster, for deploy tests. */
import type { Client } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import { createNotifier, actionUrls } from '../../activities/notify';
import { createBridgeWorkers } from '../../worker/bridge-workers';
import { versionedWorkerOptions } from '../../worker/deployment-version';
import { LINK_SECRET, type HandoffHarness } from '../helpers/handoff';

export interface VersionedWorkers {
  stop(): Promise<void>;
}

export async function startVersionedWorkers(options: {
  connection: NativeConnection;
  client: Client;
  taskQueue: string;
  harness: HandoffHarness;
  bundle: { code: string };
  deploymentName: string;
  buildId: string;
}): Promise<VersionedWorkers> {
  const { harness } = options;
  const workers = await createBridgeWorkers({
    connection: options.connection,
    namespace: options.client.options.namespace,
    client: options.client,
    taskQueue: options.taskQueue,
    contract: () => harness.contract,
    hubspot: harness.hubspot,
    salesforce: harness.salesforce,
    notifier: createNotifier({ from: 'handoff-bridge@test.example' }),
    actionLinks: (link) => actionUrls('http://127.0.0.1:8787', link, LINK_SECRET),
    workflowBundle: options.bundle,
    overrides: { workerDeploymentOptions: versionedWorkerOptions(options.deploymentName, options.buildId) },
  });
  const running = workers.run();
  return {
    async stop() {
      workers.shutdown();
      await running;
    },
  };
}
