/**
 * Where a hot lead's alert latency went, read back from its Temporal history: the webhook sent → the
 * workflow started, then every workflow task and activity split into time waiting in its task queue
 * (scheduled → started) and time running (started → completed), and every local activity (a priority
 * lead's CRM steps and the alert itself run as local activities inside one workflow task). A local
 * activity's times come from the worker that ran it when it timed them (bench/support/worker-child.ts,
 * on the wall clock); otherwise from its marker, which carries the workflow task's clock (standing
 * still within the task, so the steps bunch at its start). Summed per phase over the hot leads, up to
 * the alert (a task that outlasts the alert counts until it arrived), so the phase that dominates is a
 * figure, not a guess.
 */
import type { Client } from '@temporalio/client';
import { historyEvents, localActivityMarker } from './history';
import { millis } from './event-time';
import { ms, percentile } from './stats';
import type { LocalActivityTime } from './worker-spec';

export interface HotLeadTimeline {
  workflowId: string;
  /** Webhook sent → WorkflowExecutionStarted. */
  startMs: number;
  /**
   * Every step in order: what, queue wait (scheduled → started), run time (started → completed), when
   * it started and completed (from the webhook). A local activity has no queue wait: its run is from
   * the previous point in its workflow task (the task's start or the local activity before) to its end.
   */
  steps: Step[];
  /** Webhook sent → alert received (undefined when no alert arrived). */
  alertMs: number | undefined;
  /** Where the local activities' times came from: the worker's wall clock, or the markers' task clock. */
  localClock: 'worker' | 'task';
}

interface Step {
  what: string;
  waitMs: number;
  runMs: number;
  startedAtMs: number;
  atMs: number;
}

export async function hotLeadTimeline(client: Client, workflowId: string, sentAt: number, alertedAt: number | undefined, timed?: LocalActivityTime[]): Promise<HotLeadTimeline> {
  const events = await historyEvents(client, workflowId);
  const scheduled = new Map<string, { what: string; at: number }>();
  const started = new Map<string, number>();
  const steps: Step[] = [];
  let startMs = Number.NaN;
  let wftScheduled = 0;
  let wftStarted = 0;
  // The local activities of the workflow task just completed run one after another from its start.
  let lastPoint = 0;
  for (const event of events) {
    const at = millis(event.eventTime);
    const id = String(event.eventId ?? '');
    if (event.workflowExecutionStartedEventAttributes) startMs = at - sentAt;
    if (event.workflowTaskScheduledEventAttributes) wftScheduled = at;
    if (event.workflowTaskStartedEventAttributes) wftStarted = at;
    if (event.workflowTaskCompletedEventAttributes || event.workflowTaskTimedOutEventAttributes || event.workflowTaskFailedEventAttributes) {
      const how = event.workflowTaskCompletedEventAttributes ? '' : ' (timed out/failed)';
      steps.push({ what: `workflow task${how}`, waitMs: wftStarted - wftScheduled, runMs: at - wftStarted, startedAtMs: wftStarted - sentAt, atMs: at - sentAt });
      lastPoint = wftStarted;
    }
    const local = !timed?.length && event.markerRecordedEventAttributes ? localActivityMarker(event.markerRecordedEventAttributes) : undefined;
    if (local?.completedAt !== undefined) {
      const done = local.completedAt;
      const from = Math.min(done, Math.max(lastPoint, wftStarted));
      steps.push({ what: `local activity ${local.type ?? '?'}`, waitMs: 0, runMs: done - from, startedAtMs: from - sentAt, atMs: done - sentAt });
      lastPoint = Math.max(lastPoint, done);
    }
    const activity = event.activityTaskScheduledEventAttributes;
    if (activity) scheduled.set(id, { what: `activity ${activity.activityType?.name ?? '?'}`, at });
    const activityStarted = event.activityTaskStartedEventAttributes;
    if (activityStarted) started.set(String(activityStarted.scheduledEventId ?? ''), at);
    const done = event.activityTaskCompletedEventAttributes ?? event.activityTaskFailedEventAttributes ?? event.activityTaskTimedOutEventAttributes;
    if (done) {
      const key = String(done.scheduledEventId ?? '');
      const from = scheduled.get(key);
      const startedAt = started.get(key) ?? at;
      if (from) steps.push({ what: from.what, waitMs: startedAt - from.at, runMs: at - startedAt, startedAtMs: startedAt - sentAt, atMs: at - sentAt });
    }
  }
  for (const la of timed ?? []) steps.push({ what: `local activity ${la.type}`, waitMs: 0, runMs: la.endedAt - la.startedAt, startedAtMs: la.startedAt - sentAt, atMs: la.endedAt - sentAt });
  steps.sort((a, b) => a.atMs - b.atMs);
  return { workflowId, startMs, steps, alertMs: alertedAt === undefined ? undefined : alertedAt - sentAt, localClock: timed?.length ? 'worker' : 'task' };
}

/**
 * The steps under way before the alert arrived (what the alert latency is made of): a step that
 * outlasts it (the workflow task whose local activities sent it) counts its run until the alert.
 */
function beforeAlert(t: HotLeadTimeline): Step[] {
  const alert = t.alertMs;
  if (alert === undefined) return t.steps;
  return t.steps
    .filter((s) => s.startedAtMs <= alert + 50)
    .map((s) => (s.atMs <= alert + 50 ? s : { ...s, runMs: Math.max(0, alert - s.startedAtMs), what: `${s.what} (until the alert)` }));
}

/** Lines for the report: per phase p50/max over the hot leads, then the slowest lead (or `every` lead, slowest first) step by step. */
export function describeTimelines(timelines: HotLeadTimeline[], label = 'hot leads', every = false): string[] {
  if (!timelines.length) return [];
  const phase = (name: string, values: number[]) => `  ${name.padEnd(48)} p50 ${ms(percentile(values, 50)).padStart(8)}  max ${ms(Math.max(...values)).padStart(8)}`;
  const sum = (t: HotLeadTimeline, pick: (s: HotLeadTimeline['steps'][number]) => number, filter: (s: HotLeadTimeline['steps'][number]) => boolean) =>
    beforeAlert(t).filter(filter).reduce((a, s) => a + pick(s), 0);
  const isTask = (s: { what: string }) => s.what.startsWith('workflow task');
  const isActivity = (s: { what: string }) => s.what.startsWith('activity');
  const isLocal = (s: { what: string }) => s.what.startsWith('local activity');
  const lines = [
    `${label}, where the time to the alert went (${timelines.length} leads; wait = scheduled → started, run = started → completed):`,
    phase('webhook sent → workflow started', timelines.map((t) => t.startMs)),
    phase('workflow tasks: waiting in the task queue', timelines.map((t) => sum(t, (s) => s.waitMs, isTask))),
    phase('workflow tasks: running', timelines.map((t) => sum(t, (s) => s.runMs, isTask))),
    phase('activities: waiting in the task queue', timelines.map((t) => sum(t, (s) => s.waitMs, isActivity))),
    phase('activities: running', timelines.map((t) => sum(t, (s) => s.runMs, isActivity))),
    phase('local activities: running (inside a task)', timelines.map((t) => sum(t, (s) => s.runMs, isLocal))),
    phase('webhook sent → alert received', timelines.flatMap((t) => (t.alertMs === undefined ? [] : [t.alertMs]))),
  ];
  const bySlowest = [...timelines].sort((a, b) => (b.alertMs ?? Infinity) - (a.alertMs ?? Infinity));
  for (const [i, lead] of (every ? bySlowest : bySlowest.slice(0, 1)).entries()) {
    const clock = lead.localClock === 'worker' ? "local activities on the worker's clock" : "local activities on their markers' (the task's) clock";
    lines.push(`  ${i ? '' : 'slowest: '}${lead.workflowId}, started ${ms(lead.startMs)} after its webhook, alert at ${lead.alertMs === undefined ? 'never' : ms(lead.alertMs)} (${clock})`);
    for (const s of beforeAlert(lead)) lines.push(`    from ${ms(s.startedAtMs).padStart(8)} to ${ms(s.atMs).padStart(8)}  ${s.what.padEnd(34)} waited ${ms(s.waitMs).padStart(8)}, ran ${ms(s.runMs).padStart(8)}`);
  }
  return lines;
}
