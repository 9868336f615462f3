/**
 * The end of a demo run: reconcile the two sandboxes into the SLA report (the dashboard serves its
 * HTML), render the SLA document from the very contract the run enforced, and write a summary of what
 * the simulation planned and what the handoffs reached. Files only hold ids and counts.
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { renderSlaDocument } from '../../mappings/document';
import { parseRepairPolicy } from '../../mappings/metrics';
import type { Contract } from '../../mappings/contract';
import { reconcile } from '../../workflows/reconcile';
import type { ReconcileResult } from '../../api/reconcile';

export const SLA_DOCUMENT_FILE = 'sla.md';
export const DEMO_CONTRACT_FILE = 'demo-contract.yaml';
export const DEMO_SUMMARY_FILE = 'demo-summary.json';

/**
 * One reconciliation now, on the bridge's own worker (which registers the reconcile workflow and its
 * activities, writing into the report directory the dashboard reads), as its schedule would run it.
 */
export async function reconcileDemo(client: Client, input: { portalId: string; taskQueue: string }): Promise<ReconcileResult> {
  return client.workflow.execute(reconcile, {
    taskQueue: input.taskQueue,
    workflowId: `reconcile-demo:${input.portalId}:${randomUUID()}`,
    // Report only: the run just watched every lead settle, so there is nothing a repair should redo.
    args: [{ portalId: input.portalId, policy: parseRepairPolicy('none'), handoffTaskQueue: input.taskQueue, windowDays: 30 }],
  });
}

/** Writes the SLA document rendered from `contract` and returns its path. */
export function writeSlaDocument(reportDir: string, contract: Contract, now: Date): string {
  const path = join(reportDir, SLA_DOCUMENT_FILE);
  writeFileSync(path, renderSlaDocument(contract, { now }));
  return path;
}

export function writeJson(path: string, value: unknown): string {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
  return path;
}
