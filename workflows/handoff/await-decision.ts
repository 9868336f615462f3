/**
 * Phase 3, await the decision: assign, alert the rep, run the acceptance clock with a reminder before
 * breach; on a miss, reassign up to the contract's limit, then revert to nurture.
 */
import type { HandoffResult } from '../../api/handoff';
import { BREACHED, OWNER_ID, REASSIGN_COUNT, SLA_DEADLINE } from '../../api/search-attributes';
import { addBusinessMinutes } from '../../mappings/calendar';
import { everyCoveringRepMissed, missingRequired } from '../../mappings/contract';
import { HUBSPOT_PROPERTIES as HS } from '../../mappings/crm';
import { revertToNurture } from './close';
import { assignWhenAvailable } from './place';
import { secondsBetween, untilMs, type Decision, type HandoffRun } from './run';

/** The decision made within a window, or the handoff's result when every window was missed. */
export async function awaitDecision(run: HandoffRun): Promise<{ decided: Decision } | { result: HandoffResult }> {
  const { input, state, contract, workflowId } = run;
  const props = () => run.props();
  for (;;) {
    const { rep, assignedAt, deadline } = await assignWhenAvailable(run, run.missedBy);
    const reminderAt = addBusinessMinutes(
      assignedAt,
      Math.max(0, contract.handoff.acceptanceWindowBusinessMinutes - contract.handoff.reminderBeforeBreachBusinessMinutes),
      contract.calendar,
    );
    state.ownerId = rep.id;
    state.deadline = deadline.toISOString();
    state.marks.assignedAt = assignedAt.toISOString();
    if (!state.marks.firstAssignedAt) {
      state.marks.firstAssignedAt = assignedAt.toISOString();
      run.missingAtHandover = missingRequired(contract.dataCompleteness.requiredProperties, props());
      run.loaded.attempts.start();
    }
    run.advance(state.reassignments === 0 ? 'assigned' : 'reassigned', `owner ${rep.id}, deadline ${deadline.toISOString()}`);
    run.setAttributes([
      { key: OWNER_ID, value: rep.id },
      { key: SLA_DEADLINE, value: deadline },
      { key: REASSIGN_COUNT, value: state.reassignments },
    ]);
    // The owner is set in Salesforce: the rep is alerted, and HubSpot gets the SLA clock alongside.
    // handoff_assigned_at is the episode's FIRST assignment: a reassignment only moves the deadline.
    const alert = { contractHash: run.hash, workflowId, repId: rep.id, contactId: input.contactId, deadline: deadline.toISOString() };
    const [, alerted] = await Promise.all([
      run.writeHubSpot({ ...(state.reassignments === 0 ? { [HS.handoffAssignedAt]: assignedAt.toISOString() } : {}), [HS.handoffSlaDeadline]: deadline.toISOString() }),
      run.bridge.sendAlert({ kind: 'alert', ...alert, contact: props() }),
    ]);
    state.marks.alertedAt = alerted.deliveredAt;
    if (!state.marks.firstAlertedAt) {
      state.marks.firstAlertedAt = alerted.deliveredAt;
      // System delay: MQL → first assignment → alert delivered (connector, bridge, routing, notifier).
      if (state.marks.mqlAt) state.delays.systemSeconds = secondsBetween(state.marks.mqlAt, alerted.deliveredAt);
    }
    run.carriedStamps[HS.handoffAlertedAt] = alerted.deliveredAt;

    if (reminderAt < deadline && !(await run.waitFor(() => run.decision !== undefined, untilMs(reminderAt)))) {
      await run.bridge.sendAlert({ kind: 'reminder', ...alert, contact: props() });
      run.note(`reminder sent to ${rep.id}`);
    }
    if (await run.waitFor(() => run.decision !== undefined, untilMs(deadline))) {
      const decided = run.pendingDecision();
      if (decided) {
        run.routingHold.release(rep.id, decided.kind === 'accept' ? 'accepted' : 'rejected');
        return { decided };
      }
    }

    // Missed: the clock ran out with no decision. The breach is reported, then the lead moves on.
    state.breached = true;
    run.counters.breaches.add(1);
    run.setAttributes([{ key: BREACHED, value: true }]);
    run.missedBy.push(rep.id);
    run.routingHold.release(rep.id, 'missed');
    run.note(`acceptance window missed by ${rep.id}`);
    await run.bridge.sendAlert({ kind: 'breach', ...alert, contact: props() });
    const noRepLeft = everyCoveringRepMissed(contract, props(), run.missedBy);
    if (state.reassignments >= contract.handoff.reassignLimit || noRepLeft) {
      run.advance('reassign_limit_reached', noRepLeft ? 'every rep who covers the lead missed its window' : undefined);
      await revertToNurture(run, 'missed');
      return { result: run.finish('reverted_missed') };
    }
    state.reassignments += 1;
  }
}
