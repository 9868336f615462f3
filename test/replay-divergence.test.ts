/**
 * replay-check names the event where a replay diverged from what the SDK's nondeterminism message
 * says; checked on the recorded happy-path history (test/fixtures/).
 */
import { readFileSync } from 'node:fs';
import proto from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { divergenceReason, divergingEvent } from '../worker/replay/divergence';

const HistoryMessage = proto.temporal.api.history.v1.History;
const history = HistoryMessage.fromObject(JSON.parse(readFileSync(new URL('./fixtures/lead-handoff-accepted.history.json', import.meta.url), 'utf8')) as Record<string, unknown>);
const events = history.events;
const { EventType } = proto.temporal.api.enums.v1;
const idsOfType = (type: proto.temporal.api.enums.v1.EventType) => events.filter((e) => e.eventType === type).map((e) => String(e.eventId));

describe('naming the diverging event', () => {
  it('finds the Nth local activity, activity or timer a Core message names by sequence number', () => {
    const markers = idsOfType(EventType.EVENT_TYPE_MARKER_RECORDED);
    expect(divergingEvent(events, 'Nondeterminism error: Missing associated machine for LocalActivity(2)')).toBe(`event ${markers[1]} MARKER_RECORDED (marker core_local_activity)`);
    const scheduled = idsOfType(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED);
    expect(divergingEvent(events, 'No command scheduled for event Activity(1)')).toMatch(new RegExp(`^event ${scheduled[0]} ACTIVITY_TASK_SCHEDULED \\(activity \\w+\\)$`));
  });

  it('finds an event by the id or the activity type the message gives', () => {
    expect(divergingEvent(events, 'Timer machine does not handle this event: HistoryEvent(id: 3, WorkflowTaskStarted)')).toBe('event 3 WORKFLOW_TASK_STARTED');
    const assign = events.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'assignLead');
    expect(divergingEvent(events, "Activity type of scheduled event 'assignLead' does not match activity type of activity command 'readContact'")).toBe(
      `event ${String(assign?.eventId)} ACTIVITY_TASK_SCHEDULED (activity assignLead)`,
    );
  });

  it('says nothing rather than guess when the message names no event', () => {
    expect(divergingEvent(events, 'something else went wrong')).toBeUndefined();
    expect(divergingEvent(events, 'Missing associated machine for Timer(99)')).toBeUndefined();
  });

  it("keeps only the nondeterminism sentence of the SDK's error", () => {
    const wrapped = 'Replay failed. Details: Failure { failure: Some(Failure { message: "[TMPRL1100] Nondeterminism error: Missing associated machine for LocalActivity(1)", source: "" }) }';
    expect(divergenceReason(wrapped)).toBe('[TMPRL1100] Nondeterminism error: Missing associated machine for LocalActivity(1)');
    expect(divergenceReason('plain message\nsecond line')).toBe('plain message');
  });
});
