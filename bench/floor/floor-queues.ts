/** The floor worker's spec and task queues. */
import { z } from 'zod';
import type { FloorInput } from './floor-workflow';

/** The floor's activity queues, named as the bridge names its CRM queues after the orchestration queue. */
export function floorQueues(taskQueue: string): FloorInput {
  return { hubspotQueue: `${taskQueue}-crm-hubspot`, salesforceQueue: `${taskQueue}-crm-salesforce` };
}

/** The floor's workflow types (floor-workflow.ts): bench/visibility-cost.ts runs them side by side. */
export type FloorWorkflow = 'floorHandoff' | 'floorWithVisibility';

/** Visibility writes floorWithVisibility makes beyond floorHandoff. */
export const FLOOR_VISIBILITY_WRITES = 2;

export const floorSpecSchema = z.object({
  temporalAddress: z.string().min(1),
  taskQueue: z.string().min(1),
  bundlePath: z.string().min(1),
  maxCachedWorkflows: z.number().int().nonnegative().optional(),
});
export type FloorSpec = z.infer<typeof floorSpecSchema>;
