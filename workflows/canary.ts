/**
 * The canary: a round trip through a worker (one activity, one durable timer). Readiness checks and
 * `handoff-bridge doctor` run it to prove server, worker and activities are wired end to end.
 */
import { proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import type { CanaryActivities } from '../activities/canary';

const { describeWorker } = proxyActivities<CanaryActivities>({ startToCloseTimeout: '10 seconds' });

export interface CanaryInput {
  /** A durable timer to wait on before answering (proves timers fire). */
  wait?: string | number;
}

export interface CanaryResult {
  workflowId: string;
  worker: { pid: number; taskQueue: string };
}

export async function canary(input: CanaryInput): Promise<CanaryResult> {
  if (input.wait !== undefined) await sleep(input.wait);
  const worker = await describeWorker({});
  return { workflowId: workflowInfo().workflowId, worker };
}
