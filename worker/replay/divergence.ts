/**
 * Names the event where a replay diverged, for an operator: the SDK's nondeterminism message says
 * what did not match (sometimes with the event id, sometimes only the activity type of the scheduled
 * event); this finds that event in the history and names it by id, type and activity or timer.
 */
import proto from '@temporalio/proto';

type HistoryEvent = proto.temporal.api.history.v1.IHistoryEvent;
const { EventType } = proto.temporal.api.enums.v1;

function eventName(event: HistoryEvent): string {
  const type = (EventType[event.eventType ?? 0] ?? 'UNKNOWN').replace(/^EVENT_TYPE_/, '');
  const activity = event.activityTaskScheduledEventAttributes?.activityType?.name;
  const marker = event.markerRecordedEventAttributes?.markerName;
  const timer = event.timerStartedEventAttributes?.timerId;
  const detail = activity ? ` (activity ${activity})` : marker ? ` (marker ${marker})` : timer ? ` (timer ${timer})` : '';
  return `event ${String(event.eventId)} ${type}${detail}`;
}

/** The diverging event named as well as the message allows, or undefined when it names none. */
export function divergingEvent(events: HistoryEvent[], message: string): string | undefined {
  const byId = /(?:event[ _]?id|\bid)[:= ]\s*(\d+)/i.exec(message) ?? /\bevent (\d+)\b/i.exec(message);
  if (byId) {
    const event = events.find((e) => String(e.eventId) === byId[1]);
    if (event) return eventName(event);
  }
  // Core names a command by its kind and sequence number: the Nth such command in the history.
  const bySeq = /\b(LocalActivity|Activity|Timer)\((\d+)\)/.exec(message);
  if (bySeq) {
    const matches: Record<string, (e: HistoryEvent) => boolean> = {
      LocalActivity: (e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity',
      Activity: (e) => e.activityTaskScheduledEventAttributes !== null && e.activityTaskScheduledEventAttributes !== undefined,
      Timer: (e) => e.timerStartedEventAttributes !== null && e.timerStartedEventAttributes !== undefined,
    };
    const kind = matches[bySeq[1] ?? ''];
    const event = kind ? events.filter(kind)[Number(bySeq[2]) - 1] : undefined;
    if (event) return eventName(event);
  }
  const scheduled = /scheduled event '([^']+)'/.exec(message);
  if (scheduled) {
    const event = events.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === scheduled[1]);
    if (event) return eventName(event);
  }
  return undefined;
}

/** The nondeterminism sentence of a replay error (the SDK wraps it in a long Rust debug dump). */
export function divergenceReason(message: string): string {
  return /\[TMPRL1100\][^"\\\n]*/.exec(message)?.[0] ?? message.split('\n')[0] ?? message;
}
