/**
 * A handoff that waits a long time for a rep continues as new before its history grows large. Each
 * routing try of a wait costs an assignLead activity, a timer and two workflow tasks; a lead nobody can
 * take re-asks routing daily for as long as it waits (routing-hold.ts). Between two tries, at a safe
 * point (no update or signal handler running, no CRM step in flight, parked or blocked), the run hands
 * everything it knows to a new run of the same workflow id, which resumes routing at the next try:
 * no re-qualifying, no second Salesforce lead, no second alert, no clock or count reset. The `state`
 * query of the new run answers the whole handoff (its timeline and marks from the first run on), and
 * the CRM stamps the reports read are written from those same marks.
 */
import { allHandlersFinished, makeContinueAsNewFunc, workflowInfo } from '@temporalio/workflow';
import type { HandoffInput, HandoffResume } from '../../api/handoff';
import type { leadHandoff } from './lead-handoff';
import type { HandoffRun } from './run';

/**
 * A run that waits for a rep holds at most this many history events: it continues as new at the last
 * routing try that keeps it under (or when the server suggests it). A lead's path up to its first
 * routing try is ≈ 30 events and a no-rep re-check costs 12 (assignLead 3, timer 2, the search
 * attributes' upsert 1, two workflow tasks 6), so a run holds ≈ 22 daily re-checks, three weeks of
 * waiting: far below the server's warnings (10,240 events, 10 MB), and a worker that must replay
 * the handoff after a cache eviction or a restart replays a few hundred events, not months of them.
 */
export const ROUTING_WAIT_EVENTS_PER_RUN = 300;
/** Room kept for the next try (12 events), and for signals (a contact change) arriving meanwhile. */
const EVENTS_PER_TRY = 20;

/** Whether the next routing try could take this run past its bound. */
export function historyIsLong(): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength + EVENTS_PER_TRY >= ROUTING_WAIT_EVENTS_PER_RUN;
}

/**
 * Between two routing tries: continues as new when the history is long and nothing is in flight;
 * otherwise returns and the wait goes on in this run (the next try looks again).
 */
export async function continueLongWait(run: HandoffRun, nextAttempt: number): Promise<void> {
  if (!historyIsLong() || !allHandlersFinished() || !run.blocking.idle()) return;
  const info = workflowInfo();
  const continuedRuns = (run.input.resume?.continuedRuns ?? 0) + 1;
  run.note(`waiting for a rep: history continued in a new run (run ${continuedRuns + 1}) after ${info.historyLength} events`);
  run.publishAttributes();
  const resume: HandoffResume = {
    state: run.state,
    routingAttempt: nextAttempt,
    continuedRuns,
    missedBy: run.missedBy,
    ...(run.missingAtHandover ? { missingAtHandover: run.missingAtHandover } : {}),
    contact: run.contact,
    leadLabel: run.leadLabel,
    contactChanges: run.contactChanges,
    seenContactEvents: [...run.seenContactEvents],
    converted: run.converted,
    sqlSignalled: run.sqlSignalled,
    ...(run.decision ? { decision: run.decision } : {}),
    carriedStamps: run.carriedStamps,
    episodeOutcome: run.episode?.lastOutcome() ?? {},
    firstAttempt: run.loaded.attempts.carried(),
    blockedAlerted: run.blocking.alertedCauses(),
  };
  const { portalId, contactId, trigger } = run.input;
  const next: HandoffInput = { portalId, contactId, trigger, contractHash: run.hash, resume };
  // The memo (the lead's label) and search attributes (LeadStage=Routing, RoutingWait, ...) go along
  // explicitly: not every server copies them to the new run by itself.
  await makeContinueAsNewFunc<typeof leadHandoff>({ memo: info.memo, typedSearchAttributes: info.typedSearchAttributes })(next);
}
