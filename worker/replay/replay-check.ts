/**
 * Replays the histories of running and recently closed handoffs from a cluster against a workflow
 * bundle (Temporal's Worker.runReplayHistories), before that bundle serves them: any change of the
 * commands a handoff makes shows here as a nondeterminism error instead of as stuck handoffs.
 */
import type { Client } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import type proto from '@temporalio/proto';
import { divergenceReason, divergingEvent } from './divergence';
import { IGNORED_LOAD_REPORTS } from '../workflow-admission';

export interface ReplayCheckOptions {
  client: Client;
  bundle: { code: string } | { codePath: string };
  /** Closed handoffs are replayed when they closed within this many hours. */
  sinceHours: number;
  /** An extra visibility filter (ANDed), e.g. one worker deployment version. */
  query?: string;
  workflowType?: string;
  dataConverter?: DataConverter;
  /** Histories to replay at most (newest first in visibility's order). */
  limit?: number;
}

export interface ReplayDivergence {
  workflowId: string;
  runId: string;
  event?: string;
  message: string;
}

export interface ReplayCheckReport {
  query: string;
  replayed: number;
  divergences: ReplayDivergence[];
}

export function replayQuery(options: Pick<ReplayCheckOptions, 'sinceHours' | 'query' | 'workflowType'>, now = new Date()): string {
  const since = new Date(now.getTime() - options.sinceHours * 3_600_000).toISOString();
  const base = `WorkflowType = "${options.workflowType ?? 'leadHandoff'}" AND (ExecutionStatus = "Running" OR CloseTime > "${since}")`;
  return options.query ? `${base} AND (${options.query})` : base;
}

export async function replayCheck(options: ReplayCheckOptions): Promise<ReplayCheckReport> {
  const query = replayQuery(options);
  const events = new Map<string, proto.temporal.api.history.v1.IHistoryEvent[]>();
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const client = options.client;
  async function* histories() {
    let count = 0;
    for await (const execution of client.workflow.list({ query })) {
      if (count++ >= limit) return;
      const history = await client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory();
      events.set(execution.runId, history.events ?? []);
      yield { workflowId: execution.workflowId, history };
    }
  }
  const report: ReplayCheckReport = { query, replayed: 0, divergences: [] };
  const results = Worker.runReplayHistories({ workflowBundle: options.bundle, dataConverter: options.dataConverter, sinks: IGNORED_LOAD_REPORTS }, histories());
  for await (const result of results) {
    report.replayed += 1;
    const history = events.get(result.runId) ?? [];
    events.delete(result.runId);
    if (!result.error) continue;
    const message = result.error.message;
    report.divergences.push({ workflowId: result.workflowId, runId: result.runId, event: divergingEvent(history, message), message: divergenceReason(message) });
  }
  return report;
}
