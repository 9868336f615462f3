/**
 * The routing queue's rotation state, as it crosses continue-as-new. The schema lives outside
 * routing.ts so the workflow bundle, which needs only the type, does not carry zod.
 */
import { z } from 'zod';

export const rotationStateSchema = z.object({
  /** Round robin: the rep chosen last (the ring continues after them). */
  lastRepId: z.string().nullable(),
  /** Smooth weighted round robin: each rep's current weight. */
  currentWeights: z.record(z.string(), z.number()),
  /** Territory: the rep chosen last within each territory. */
  lastByTerritory: z.record(z.string(), z.string()),
});
export type RotationState = z.infer<typeof rotationStateSchema>;
