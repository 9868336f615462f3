/**
 * A bridge composed as production composes it (startBridge, mode all, config through loadConfig),
 * on the run's dev server and a handoff harness's sandboxes, listening on loopback free ports, with
 * its log lines collected for the test to read. `stop()` also removes the per-portal loops that would
 * outlive it on the shared server.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { WorkflowNotFoundError } from '@temporalio/client';
import { inject } from 'vitest';
import { startBridge, type RunningBridge } from '../../worker/bridge';
import { loadConfig } from '../../worker/config';
import { createLogger } from '../../worker/logger';
import { mqlSweepScheduleId, statusWatcherWorkflowId } from '../../api/ids';
import { LINK_SECRET, type HandoffHarness } from './handoff';
import { uniqueTaskQueue } from './temporal';
import { quietPort } from '../../worker/dev-server';

export interface TestBridge {
  bridge: RunningBridge;
  metricsPort: number;
  taskQueue: string;
  /** Every log line so far, parsed. */
  lines: Array<Record<string, unknown>>;
  stop(): Promise<void>;
}

export async function startTestBridge(h: HandoffHarness, env: Record<string, string> = {}): Promise<TestBridge> {
  // The Runtime's exporter takes the port after the metrics port.
  const [ingressPort, metricsPort] = [await quietPort(), await quietPort(1)];
  const config = loadConfig({
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    HANDOFF_TASK_QUEUE: uniqueTaskQueue('ingress'),
    INGRESS_PORT: String(ingressPort),
    INGRESS_PUBLIC_URL: `http://127.0.0.1:${ingressPort}`,
    METRICS_PORT: String(metricsPort),
    LINK_SIGNING_SECRET: LINK_SECRET,
    HUBSPOT_PORTAL_ID: h.portalId,
    LOG_LEVEL: 'info',
    RECONCILE_EVERY: 'off',
    ...env,
  });
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const bridge = await startBridge({
    config,
    logger: createLogger({ level: config.logLevel, destination }),
    taskQueue: config.taskQueue,
    sandboxUrls: { hubspot: h.sandboxes.hubspot.baseUrl, salesforce: h.sandboxes.salesforce.instanceUrl },
    reportDir: join(tmpdir(), 'handoff-ingress-reports'),
    contract: h.contract,
    watchInterval: '1 second',
    listenHost: '127.0.0.1',
    // The test process installed its Runtime in test/setup-runtime.ts; there is one per process.
    installRuntime: false,
  });
  return {
    bridge,
    metricsPort,
    taskQueue: config.taskQueue,
    lines,
    async stop() {
      await bridge.client.workflow
        .getHandle(statusWatcherWorkflowId(h.portalId))
        .terminate('test done')
        .catch((err: unknown) => {
          if (!(err instanceof WorkflowNotFoundError)) throw err;
        });
      await bridge.client.schedule.getHandle(mqlSweepScheduleId(h.portalId)).delete().catch(() => undefined);
      await bridge.stop();
    },
  };
}
