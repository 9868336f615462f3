/**
 * The routing queue's surface, as plain names and types so that activities (which start it through the
 * Temporal client) need nothing from the workflow runtime.
 */
import type { HistoryBudget, PoolReport, PoolState, RotationPolicy, RoutingLoad } from '../mappings/routing';

export const ROUTING_QUEUE_WORKFLOW = 'routingQueue';
/** One update answers a batch of routing requests (each deduplicated by its own request id). */
export const ASSIGN_REPS_UPDATE = 'assignReps';
export const RECENT_ASSIGNMENTS_QUERY = 'recentAssignments';
/**
 * The failure type of an update the queue refused because its run could pass its history budget
 * (mappings/routing/history-budget.ts): nothing of it was recorded; send it again at once and it
 * reaches the next run.
 */
export const ROUTING_RUN_FULL = 'RoutingRunFull';
/** The failure type of an update bigger than any run takes: split the batch. */
export const ROUTING_BATCH_TOO_LARGE = 'RoutingBatchTooLarge';
/** A handoff tells its portal's queue that a lead no longer awaits a rep: their slot is free. */
export const RELEASE_SLOT_SIGNAL = 'releaseSlot';
/** The queue tells a waitlisted handoff that a rep is reserved for it: ask again now. */
export const SLOT_RESERVED_SIGNAL = 'slotReserved';
export const ROUTING_LOAD_QUERY = 'routingLoad';
/** A worker tells handoffs waiting for a rep that who can take leads changed (a rep joined the pool): ask again now. */
export const ROUTING_CHANGED_SIGNAL = 'routingChanged';
/** A worker → the queue: a read of the CRM pool whose content changed (deduplicated by its digest). */
export const POOL_REPORT_SIGNAL = 'poolReport';
/** The pool as last reported and its recent changes, or null before any report. */
export const POOL_STATE_QUERY = 'routingPool';
export type { PoolReport, PoolState };

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
  /**
   * The asking handoff's workflow id: the lead awaits the chosen rep under this key (capacity caps),
   * and a waitlisted lead is told here when a slot is reserved for it.
   */
  handoffId?: string;
  /** The acceptance deadline this assignment would have: the rep's slot frees by itself after it. */
  deadline?: string;
}

/** Why the lead no longer awaits the rep. */
export interface ReleaseSlot {
  handoffId: string;
  repId: string;
  why: 'accepted' | 'rejected' | 'missed';
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
export type RepChoice =
  | {
      rep: ChosenRep;
      turn: number;
      reason?: undefined;
      /** Reps passed over because of their capacity caps, each with why (for the handoff's timeline). */
      skipped?: string[];
    }
  | {
      rep: null;
      reason: string;
      /** When some rep is back by time alone (working hours, out of office, next day): ask again then. */
      retryAt?: string;
      /** Every working rep is capped: the lead is on the waitlist and will be told when a slot is reserved. */
      waitlisted?: boolean;
    };

/** A rep reserved for a waitlisted lead, with the turn it took. */
export interface Reservation {
  rep: ChosenRep;
  turn: number;
}

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
  /** Carried across continue-as-new: each rep's count today and the leads awaiting them (mappings/capacity.ts). */
  loads?: RoutingLoad;
  /** Carried across continue-as-new: leads waiting for a slot, oldest first, and the policy they asked under. */
  waitlist?: RoutingRequest[];
  waitPolicy?: RotationPolicy;
  /** Carried across continue-as-new: reps reserved for waitlisted leads that have not asked again yet. */
  reservations?: Record<string, Reservation>;
  /** Carried across continue-as-new: the routing pool as last reported, and its recent changes. */
  pool?: PoolState;
  /** The run's history budget (DEFAULT_HISTORY_BUDGET when unset); carried across continue-as-new. */
  historyBudget?: HistoryBudget;
}

/** The LeadStage search attribute's value while no rep can take the lead yet (the CLI reads it). */
export const ROUTING_STAGE = 'Routing';
