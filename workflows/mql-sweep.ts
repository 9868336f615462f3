/**
 * mqlSweep: the safety net for missed webhooks. Run by a Temporal Schedule, it finds MQLs in HubSpot
 * that no handoff has picked up and starts their handoffs exactly as the webhook would have.
 */
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { BridgeLoopActivities } from '../activities/handoff';
import { workflowNow } from './clock';

export interface MqlSweepInput {
  portalId: string;
}

export interface MqlSweepResult {
  found: number;
  ensured: number;
}

export async function mqlSweep(input: MqlSweepInput): Promise<MqlSweepResult> {
  const { sweepStrandedMqls } = proxyActivities<BridgeLoopActivities>({
    startToCloseTimeout: '10 minutes',
    heartbeatTimeout: '1 minute',
    retry: { initialInterval: '5 seconds', maximumInterval: '1 minute' },
  });
  return sweepStrandedMqls({
    portalId: input.portalId,
    handoffTaskQueue: workflowInfo().taskQueue,
    observedAt: workflowNow().toISOString(),
  });
}
