/**
 * The routing queue's surface, as plain names and types so that activities (which start it through the
 * Temporal client) need nothing from the workflow runtime.
 */
import type { Contract } from '../mappings/schema';

export const ROUTING_QUEUE_WORKFLOW = 'routingQueue';
export const ASSIGN_REP_UPDATE = 'assignRep';

export interface AssignRepRequest {
  contract: Contract;
  lead: Record<string, string | null>;
  /** Reps who already missed this lead. */
  exclude: string[];
  now: string;
}

export interface ChosenRep {
  id: string;
  name: string;
}

export type RepChoice = { rep: ChosenRep; reason?: undefined } | { rep: null; reason: string };

export interface RoutingQueueInput {
  portalId: string;
  /** Carried across continue-as-new. */
  rotation?: unknown;
  assignments?: number;
}
