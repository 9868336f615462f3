/**
 * The worker killed with SIGKILL every few seconds during a burst: each kill loses whatever the
 * process held (cached workflows, activities mid-call, call-budget grants); Temporal must hand the
 * work to the next worker. With two worker processes the first is killed and the other keeps
 * running; with the product's call budgets (`limits: 'product'`) HubSpot's 190 / 10 s is enforced
 * and the busiest 10 s is counted on the wire. After the kills stop, every lead must have exactly one Salesforce lead, with an owner, and
 * an alert. An activity cut off by a kill is retried only after its 30 s start-to-close timeout.
 */
import type { Client } from '@temporalio/client';
import { DEFAULT_BUDGETS } from '../bench/burst';
import { startBridgeRun } from '../bench/support/bridge-run';
import { waitUntil } from '../bench/support/stats';
import { assignmentLosses } from './outcomes';

export interface WorkerKillOptions {
  client: Client;
  temporalAddress: string;
  bundlePath: string;
  scratchDir: string;
  leads: number;
  killEveryMs: number;
  /** Kills stop this long after the first (or once every lead is alerted); then the run must converge. */
  killForMs: number;
  timeoutMs: number;
  /** Worker processes; the first is the one killed. 1 when unset. */
  workerProcesses?: number;
  /** 'raised' (default): the question is survival alone; 'product': the budgets and HubSpot's limits too. */
  limits?: 'raised' | 'product';
}

export interface WorkerKillResult {
  leads: number;
  kills: number;
  seconds: number;
  unassigned: string[];
  duplicateSalesforceLeads: string[];
  notAlerted: number;
  /** Alerts sent twice for one handoff: a kill between sending and recording it (at-least-once). */
  repeatedAlerts: number;
  busiestHubspot10s: number;
  hubspotRateLimited: number;
}

/** Raised CRM budgets: the question is survival of kills, not the rate limits (the burst measures those). */
const RAISED = { budgets: { hubspotPer10Seconds: 100_000, salesforcePerSecond: 10_000 }, hubspotLimits: { tenSecondly: 1_000_000, searchPerSecond: 1000 }, salesforceDailyLimit: 10_000_000 };

export async function runWorkerKill(options: WorkerKillOptions): Promise<WorkerKillResult> {
  const run = await startBridgeRun({ ...options, ...(options.limits === 'product' ? { budgets: DEFAULT_BUDGETS } : RAISED) });
  try {
    const contactIds = Array.from({ length: options.leads }, () => run.createMql());
    const started = Date.now();
    await run.announceMqls(contactIds);
    let kills = 0;
    const allAlerted = (): boolean => run.inbox.firstAlert.size >= options.leads;
    // The first kill lands as soon as the first Salesforce lead exists: mid-burst by construction
    // (assignments and alerts follow it; batching makes the rest of a small burst quick).
    await waitUntil(() => run.sandboxes.salesforce.store.list('Lead').length > 0, options.timeoutMs, 20);
    const killsStarted = Date.now();
    while (!allAlerted() && Date.now() - killsStarted < options.killForMs) {
      if (kills > 0) await waitUntil(allAlerted, options.killEveryMs, 200);
      if (allAlerted()) break;
      await run.worker.kill();
      kills += 1;
      await run.restartWorker();
    }
    await waitUntil(allAlerted, Math.max(0, options.timeoutMs - (Date.now() - started)), 500);
    const seconds = (Date.now() - started) / 1000;
    const losses = assignmentLosses(run, contactIds);
    const alertsPerHandoff = new Map<string, number>();
    for (const alert of run.inbox.alerts) if (alert.kind === 'alert') alertsPerHandoff.set(alert.workflowId, (alertsPerHandoff.get(alert.workflowId) ?? 0) + 1);
    return {
      leads: options.leads,
      kills,
      seconds,
      unassigned: losses.unassigned,
      duplicateSalesforceLeads: losses.duplicated,
      notAlerted: options.leads - run.inbox.firstAlert.size,
      repeatedAlerts: [...alertsPerHandoff.values()].filter((n) => n > 1).length,
      busiestHubspot10s: run.recorder.busiestWindow(10_000),
      hubspotRateLimited: run.recorder.rateLimited(),
    };
  } finally {
    await run.stop();
  }
}
