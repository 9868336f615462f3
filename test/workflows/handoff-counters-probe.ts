/**
 * Adds to each of the handoff's counters once, as leadHandoff does at its start, on a stage change and
 * on a missed window: test/ops-metrics.test.ts reads the names a real Runtime exports them under.
 */
import { handoffCounters } from '../../workflows/handoff';

export async function handoffCountersProbe(): Promise<void> {
  const counters = handoffCounters();
  counters.started.add(1);
  counters.transitions.add(1, { stage: 'AwaitingAcceptance', event: 'assigned' });
  counters.breaches.add(1);
}
