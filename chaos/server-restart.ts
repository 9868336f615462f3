/**
 * The Temporal dev server stopped and started again mid-run on the same SQLite file: handoffs parked
 * on timers must still close; none may be lost. Closing by breach, the timer is the one-minute
 * acceptance window; closing by rejection (the short test), it is the revert's read-back wait.
 */
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { startBridgeRun } from '../bench/support/bridge-run';
import { waitUntil } from '../bench/support/stats';
import { connectClient, startTemporal } from '../bench/support/temporal';
import { freePort } from '../worker/dev-server';
import { assignmentLosses, CLOSED_OUTCOME, handoffOutcomes, rejectAll, unexpected, type CloseBy } from './outcomes';

export interface ServerRestartOptions {
  bundlePath: string;
  scratchDir: string;
  leads: number;
  downMs: number;
  timeoutMs: number;
  closeBy: CloseBy;
}

export interface ServerRestartResult {
  leads: number;
  /** Handoffs still parked on their timers when the server went down. */
  parkedAtStop: number;
  notClosed: { count: number; examples: string[] };
  unassigned: string[];
  duplicateSalesforceLeads: string[];
  seconds: number;
}

export async function runServerRestart(options: ServerRestartOptions): Promise<ServerRestartResult> {
  const dbFile = join(options.scratchDir, `restart-${Date.now()}.db`);
  const port = await freePort();
  let server = await startTemporal({ dbFile, port });
  const client: Client = await connectClient(server.address);
  const run = await startBridgeRun({
    client,
    temporalAddress: server.address,
    bundlePath: options.bundlePath,
    scratchDir: options.scratchDir,
    budgets: { hubspotPer10Seconds: 100_000, salesforcePerSecond: 10_000 },
    hubspotLimits: { tenSecondly: 1_000_000 },
    tweak: (contract) => {
      contract.handoff.acceptanceWindowBusinessMinutes = 1;
      contract.handoff.reminderBeforeBreachBusinessMinutes = 0;
      contract.handoff.reassignLimit = 0;
      contract.handoff.readBackAfterMinutes = options.closeBy === 'rejection' ? 0.25 : 0.05;
    },
  });
  try {
    const contactIds = Array.from({ length: options.leads }, () => run.createMql());
    const started = Date.now();
    await run.announceMqls(contactIds);
    await waitUntil(() => run.inbox.firstAlert.size >= options.leads, options.timeoutMs, 200);
    const workflowIds = contactIds.map((id) => run.workflowIdOf(id));
    if (options.closeBy === 'rejection') await rejectAll(client, workflowIds);
    const parkedAtStop = run.inbox.firstAlert.size;
    await server.stop();
    await new Promise((resolve) => setTimeout(resolve, options.downMs));
    server = await startTemporal({ dbFile, port });
    const outcomes = await handoffOutcomes(client, workflowIds, Math.max(1, options.timeoutMs - (Date.now() - started)));
    const losses = assignmentLosses(run, contactIds);
    return {
      leads: options.leads,
      parkedAtStop,
      notClosed: unexpected(outcomes.values(), CLOSED_OUTCOME[options.closeBy]),
      unassigned: losses.unassigned,
      duplicateSalesforceLeads: losses.duplicated,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    await run.stop();
    await client.connection.close();
    await server.stop();
  }
}
