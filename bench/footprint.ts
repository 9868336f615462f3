/**
 * Footprint: N handoffs assigned, alerted and parked on their acceptance timers; the worker process's
 * resident memory, and the history events each parked handoff holds. The CRM budgets are raised here
 * (memory, not rate limits, is the question), so N handoffs park in minutes rather than hours.
 *
 * Parked means quiet: the figure is taken after QUIET_MS (or `quietMs`) without new work, when V8 has
 * collected the burst's garbage and handed its pages back (its memory reducer starts some seconds
 * after allocation slows). The RSS the moment the last handoff parked and the peak are reported beside it.
 */
import type { Client } from '@temporalio/client';
import { startBridgeRun } from './support/bridge-run';
import { historyEvents } from './support/history';
import { waitUntil } from './support/stats';
import type { MainHeap } from './support/worker-spec';

export interface FootprintOptions {
  client: Client;
  temporalAddress: string;
  bundlePath: string;
  scratchDir: string;
  handoffs: number;
  timeoutMs: number;
  maxCachedWorkflows?: number;
  /** How long every handoff stays parked before the figure (QUIET_MS; shorter only to smoke-test the row). */
  quietMs?: number;
}

export interface FootprintResult {
  handoffs: number;
  parked: number;
  idleRssBytes: number;
  /** After the quiet wait with every handoff parked. */
  rssBytes: number;
  /** The moment the last handoff was alerted. */
  parkingRssBytes: number;
  peakRssBytes: number;
  /**
   * The main thread's V8 heap at idle and after the quiet wait: whether what the RSS gained is that
   * heap, or lies outside it (the workflow threads' heaps, Core, malloc's arenas).
   */
  mainHeap?: { idle: MainHeap; parked: MainHeap };
  /** History events of a parked handoff (a sample of up to 20). */
  parkedEvents: { mean: number; max: number };
  parkSeconds: number;
}

/** Long enough for the memory reducer's collections in both the main and the workflow thread. */
export const QUIET_MS = 60_000;

const RAISED = { budgets: { hubspotPer10Seconds: 100_000, salesforcePerSecond: 10_000 }, hubspotLimits: { tenSecondly: 1_000_000, searchPerSecond: 1000 }, salesforceDailyLimit: 10_000_000 };

export async function measureFootprint(options: FootprintOptions): Promise<FootprintResult> {
  const run = await startBridgeRun({ ...options, ...RAISED });
  try {
    const idle = await run.worker.memory();
    const contactIds = Array.from({ length: options.handoffs }, () => run.createMql());
    const started = Date.now();
    await run.announceMqls(contactIds);
    await waitUntil(() => run.inbox.firstAlert.size >= options.handoffs, options.timeoutMs, 500);
    const parkSeconds = (Date.now() - started) / 1000;
    const parking = await run.worker.memory();
    // The alert stamp in HubSpot follows the alert; then every handoff waits on its timer.
    await new Promise((resolve) => setTimeout(resolve, options.quietMs ?? QUIET_MS));
    const memory = await run.worker.memory();
    const sample = contactIds.filter((_, i) => i % Math.max(1, Math.floor(contactIds.length / 20)) === 0).slice(0, 20);
    const counts = await Promise.all(sample.map(async (id) => (await historyEvents(run.client, run.workflowIdOf(id))).length));
    return {
      handoffs: options.handoffs,
      parked: run.inbox.firstAlert.size,
      idleRssBytes: idle.rssBytes,
      rssBytes: memory.rssBytes,
      parkingRssBytes: parking.rssBytes,
      peakRssBytes: memory.peakRssBytes,
      ...(idle.mainHeap && memory.mainHeap ? { mainHeap: { idle: idle.mainHeap, parked: memory.mainHeap } } : {}),
      parkedEvents: { mean: counts.reduce((a, b) => a + b, 0) / Math.max(1, counts.length), max: Math.max(0, ...counts) },
      parkSeconds,
    };
  } finally {
    await run.stop();
  }
}
