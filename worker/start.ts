/**
 * `npm start`: the embedded Temporal dev server (SQLite in .data/, Web UI on 127.0.0.1:8233) and the
 * bridge worker in one process, until Ctrl-C.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { NativeConnection } from '@temporalio/worker';
import { Client, Connection } from '@temporalio/client';
import { createCanaryActivities } from '../activities/canary';
import { canary } from '../workflows/canary';
import { HANDOFF_TASK_QUEUE } from '../workflows/ids';
import { createBridgeWorker } from './create-worker';
import { startDevServer } from './dev-server';
import { defaultToolsDir, provisionTemporal, TemporalProvisioningError } from './temporal-binaries';

const dataDir = resolve(import.meta.dirname, '..', '.data');

async function main(): Promise<void> {
  const binaries = await provisionTemporal({ toolsDir: defaultToolsDir(), onProgress: (l) => console.log(l) });
  mkdirSync(dataDir, { recursive: true });
  const server = await startDevServer({
    cliPath: binaries.cli,
    port: Number(process.env.TEMPORAL_PORT ?? 7233),
    uiPort: Number(process.env.TEMPORAL_UI_PORT ?? 8233),
    dbFile: resolve(dataDir, 'temporal.db'),
  });
  const connection = await NativeConnection.connect({ address: server.address });
  const worker = await createBridgeWorker({
    connection,
    taskQueue: HANDOFF_TASK_QUEUE,
    activities: createCanaryActivities(),
  });
  const running = worker.run();

  const client = new Client({ connection: await Connection.connect({ address: server.address }) });
  const check = await client.workflow.execute(canary, {
    taskQueue: HANDOFF_TASK_QUEUE,
    workflowId: `canary-start-${Date.now()}`,
    args: [{}],
  });
  console.log(
    [
      '',
      'handoff-bridge is running.',
      `  Temporal frontend: ${server.address}`,
      `  Temporal Web UI:   ${server.uiUrl ?? '(headless)'}`,
      `  Worker:            task queue "${HANDOFF_TASK_QUEUE}", canary ${check.workflowId} completed`,
      `  Data:              ${dataDir}`,
      'Press Ctrl-C to stop.',
    ].join('\n'),
  );
  await running;
  await client.connection.close();
  await connection.close();
  await server.stop();
}

main().catch((err: unknown) => {
  console.error(err instanceof TemporalProvisioningError ? err.message : err);
  process.exit(1);
});
