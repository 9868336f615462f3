/**
 * The routing queue's surface, as plain names and types so that activities (which start it through the
 * Temporal client) need nothing from the workflow runtime.
 */
import type { RotationPolicy } from '../mappings/routing';

export const ROUTING_QUEUE_WORKFLOW = 'routingQueue';
/** One update answers a batch of routing requests (each deduplicated by its own request id). */
export const ASSIGN_REPS_UPDATE = 'assignReps';
export const RECENT_ASSIGNMENTS_QUERY = 'recentAssignments';

export interface RoutingRequest {
  /** Stable across retries of the asking activity: a repeated request id gets the first answer again. */
  requestId: string;
  /** Only the properties routing reads (the territory property, if any). */
  lead: Record<string, string | null | undefined>;
  /** Priority leads take turns on a rotation of their own, and are answered first within a batch. */
  hot: boolean;
  /** Reps who already missed this lead. */
  exclude: string[];
  now: string;
}

/** A batch of requests under one rotation policy (the contract's routing section, reps trimmed). */
export interface AssignRepsRequest {
  policy: RotationPolicy;
  requests: RoutingRequest[];
}

export interface ChosenRep {
  id: string;
  name: string;
}

/** `turn`: the queue's sequence number for this assignment, counted across lanes and runs. */
export type RepChoice = { rep: ChosenRep; turn: number; reason?: undefined } | { rep: null; reason: string };

/** One answered request, as the queue remembers it (for retries across continue-as-new, and the query). */
export interface AnsweredRequest {
  requestId: string;
  hot: boolean;
  choice: RepChoice;
}

export interface RoutingQueueInput {
  portalId: string;
  /** Carried across continue-as-new: the normal leads' rotation. */
  rotation?: unknown;
  /** Carried across continue-as-new: the priority leads' rotation. */
  hotRotation?: unknown;
  assignments?: number;
  /** The latest answers, so a request retried just after a roll-over still gets its answer. */
  answered?: AnsweredRequest[];
}
