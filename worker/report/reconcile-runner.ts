/**
 * Runs one reconciliation now, in this process: a worker on a private task queue with the reconcile
 * workflow and its activities, the workflow started on it, its progress polled for the caller. The
 * CLI and the benchmark use it; the scheduled runs use the bridge's own worker instead.
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
import type { NativeConnection, WorkerOptions } from '@temporalio/worker';
import { createReconcileActivities, type ReconcileDeps } from '../../activities/reconcile';
import { reconcile, reconcileProgressQuery } from '../../workflows/reconcile';
import type { ReconcileInput, ReconcileProgress, ReconcileResult } from '../../api/reconcile';
import { createBridgeWorker } from '../create-worker';
import { REPORT_RENDERERS } from './index';

/** The reconcile workflow alone, bundled for a private worker (the bridge's bundle is workflows/index.ts). */
export const RECONCILE_WORKFLOWS_PATH = fileURLToPath(new URL('../../workflows/reconcile.ts', import.meta.url));

export interface RunReconciliationOptions {
  client: Client;
  connection: NativeConnection;
  namespace?: string;
  deps: Omit<ReconcileDeps, 'client' | 'renderers'>;
  input: ReconcileInput;
  onProgress?: (progress: ReconcileProgress) => void;
  pollMs?: number;
  /** A bundle holding the reconcile workflow, built beforehand; else the worker bundles it (webpack, seconds). */
  workflowBundle?: { code: string } | { codePath: string };
  /** The client's payload codec (CODEC_KEYS): the private worker must read what the client encrypted. */
  dataConverter?: WorkerOptions['dataConverter'];
}

export async function runReconciliation(options: RunReconciliationOptions): Promise<ReconcileResult> {
  const taskQueue = `reconcile-run-${randomUUID()}`;
  const worker = await createBridgeWorker({
    connection: options.connection,
    namespace: options.namespace ?? 'default',
    taskQueue,
    activities: createReconcileActivities({ ...options.deps, client: options.client, renderers: REPORT_RENDERERS }),
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : {}),
    overrides: { ...(options.workflowBundle ? {} : { workflowsPath: RECONCILE_WORKFLOWS_PATH }), ...(options.dataConverter ? { dataConverter: options.dataConverter } : {}) },
  });
  return worker.runUntil(async () => {
    const handle = await options.client.workflow.start(reconcile, { taskQueue, workflowId: `reconcile-now:${options.input.portalId}:${randomUUID()}`, args: [options.input] });
    const result = handle.result();
    if (!options.onProgress) return result;
    const onProgress = options.onProgress;
    let finished = false;
    const poll = (async () => {
      while (!finished) {
        try {
          onProgress(await handle.query(reconcileProgressQuery));
        } catch {
          // A query can race the workflow's first task or its completion: the next poll will tell.
        }
        await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 250));
      }
    })();
    try {
      return await result;
    } finally {
      finished = true;
      await poll;
    }
  });
}

