/** What a bridge worker child process is told to run, passed as JSON in its environment. */
import { z } from 'zod';
import type { CrmSystem } from '../../activities/crm';
import { WORKER_LANES } from '../../worker/config';
import type { AdmissionState } from '../../worker/workflow-admission';

export const workerSpecSchema = z.object({
  temporalAddress: z.string().min(1),
  taskQueue: z.string().min(1),
  /** The portal: its call budgets are leased from the keepers every worker process of the run shares. */
  portalId: z.string().min(1),
  /** A workflow bundle built once by the parent: a restarted worker must not spend seconds in webpack. */
  bundlePath: z.string().min(1),
  /** The contract as JSON (contractJson). */
  contractFile: z.string().min(1),
  hubspot: z.object({ baseUrl: z.string().url(), accessToken: z.string().min(1) }),
  salesforce: z.object({ instanceUrl: z.string().url(), clientId: z.string().min(1), clientSecret: z.string().min(1) }),
  /** The HTTP call budgets all worker processes share (the product's defaults: 150 per 10 s, 20 per second). */
  budgets: z.object({ hubspotPer10Seconds: z.number().int().positive(), salesforcePerSecond: z.number().positive() }),
  /** The workflow cache size; the product's default when unset. */
  maxCachedWorkflows: z.number().int().nonnegative().optional(),
  /** The lanes this process serves (worker/bridge-workers.ts WORKER_LANES); all of them when unset. */
  lanes: z.enum(WORKER_LANES).optional(),
  /** Retry delay after Salesforce's REQUEST_LIMIT_EXCEEDED; the adapter's 5 minutes when unset. */
  salesforceLimitRetryMs: z.number().int().positive().optional(),
  /**
   * Serves the webhook ingress in this process too, as HANDOFF_MODE=all does: priority leads start
   * eagerly on this process's hot lane (worker/webhook-route.ts hotLaneClient). The HubSpot app's
   * client secret verifies the webhooks.
   */
  ingress: z.object({ clientSecret: z.string().min(1) }).optional(),
});
export type WorkerSpec = z.infer<typeof workerSpecSchema>;

export const WORKER_SPEC_ENV = 'HANDOFF_BENCH_WORKER_SPEC';

/** The main thread's event-loop delay since the process started, ms (its polls, activities and codecs share that thread). */
export interface LoopDelay {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** The main thread's V8 heap (used, and reserved): what of the RSS is not the workflow threads', Core's or malloc's. */
export interface MainHeap {
  usedBytes: number;
  totalBytes: number;
}

/** The orchestration worker's workflow cache since the process started (Core's counters) and its admission. */
export interface CacheUse {
  hits: number;
  misses: number;
  forcedEvictions: number;
  /** The routing queues' worker: workflow tasks served from its cache, and replays. */
  routing?: { hits: number; misses: number };
  admission?: AdmissionState;
}

/** One shared call budget's leases over the run (activities/crm/shared-call-budget.ts BudgetObserver). */
export interface BudgetUse {
  leases: number;
  failed: number;
  slowestLeaseMs: number;
  /** Requests a priority lead made, and the longest any of them waited for a call. */
  urgentCalls: number;
  urgentWaitMaxMs: number;
}
export type BudgetUses = Record<CrmSystem, BudgetUse>;

/**
 * When one of the hot lane's local activities ran, on the worker's wall clock (ms since the epoch):
 * the history's markers carry the workflow task's clock instead, which stands still within a task.
 */
export interface LocalActivityTime {
  type: string;
  startedAt: number;
  endedAt: number;
}

export type WorkerMessage =
  | { type: 'ready'; ingressUrl?: string }
  | {
      type: 'memory';
      rssBytes: number;
      peakRssBytes: number;
      loopDelay?: LoopDelay;
      mainHeap?: MainHeap;
      cache?: CacheUse;
      budgets?: BudgetUses;
      /** The hot lane's local activities by workflow id, in the order they ended. */
      hotLocalActivities?: Record<string, LocalActivityTime[]>;
    };
export type ParentMessage = { type: 'memory' } | { type: 'stop' };
