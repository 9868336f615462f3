/**
 * Sections IV and V of the SLA document: the handoff with its revert rules and flowchart, and the
 * feedback loop that turns rejections into changes to the definitions.
 */
import { describeTarget } from './describe-measure';
import { ownerName } from './document-contract';
import { handoffFlowchart } from './diagrams';
import { code, mermaidBlock, table } from './markdown';
import { missesBeforeRevert, type Contract } from '../contract';

const POLICY_NAMES: Record<Contract['routing']['policy'], string> = { round_robin: 'Round robin', weighted: 'Smooth weighted round robin', territory: 'Territory, then round robin within it,' };

const FEEDS: Record<Contract['feedback']['rejectionFeeds'][number]['informs'], string> = {
  'mql.fit': 'the MQL fit criteria (which companies and people we target)',
  'mql.engagement': 'the MQL engagement threshold (score and high-intent actions)',
  dataCompleteness: 'the data-completeness bar (fields required before handoff)',
  routing: 'routing (who receives which leads)',
  'connector.inclusion': "the connector's inclusion list (which contacts sync to Salesforce)",
};

function alertLines(contract: Contract): string[] {
  return contract.handoff.alerts.map((a) => {
    const to = a.target === 'rep' ? "the assigned rep's own address" : code(a.target);
    return `- ${a.kinds.join(', ')} on ${a.channel} to ${to}.`;
  });
}

/** What happens when a CRM refuses a write for good: the handoff waits for a fix, it does not fail. */
function refusedWriteParagraph(contract: Contract): string {
  const channels = contract.handoff.alerts.filter((a) => a.kinds.includes('blocked') && a.target !== 'rep').map((a) => `${a.channel} to ${code(a.target)}`);
  const told = channels.length ? `RevOps is alerted (${channels.join(', ')})` : 'RevOps should be alerted, but the contract names no `blocked` channel yet';
  return `**A refused write.** When Salesforce or HubSpot refuses one of the bridge's writes for good (an inactive or unknown owner, a value outside a picklist, a deleted field or record, revoked access), the lead is not dropped and the handoff does not fail: it waits as ${code('Blocked')}, ${told} once with the lead, the refused step and the fix, and the step runs again once the cause is fixed (\`lead retry\`). The acceptance window starts only when the assignment goes through: the time blocked counts as system delay, never against the rep.`;
}

/** How many reassignments a missed window gets, as the state machine (and so the workflow) has it. */
function revertAfter(contract: Contract): string {
  const reassignments = missesBeforeRevert(contract) - 1;
  if (reassignments === 0) {
    return contract.handoff.reassignLimit > 0
      ? `A missed window is not reassigned: no lead can be routed among more than one rep (the limit of ${contract.handoff.reassignLimit} needs more reps per ${code(contract.routing.territoryProperty ?? 'territory')})`
      : 'A missed window is not reassigned';
  }
  return `A missed window is reassigned to another rep up to ${reassignments} time${reassignments === 1 ? '' : 's'} (never to a rep who already missed it)`;
}

export function handoffSection(contract: Contract): string {
  const h = contract.handoff;
  const r = contract.routing;
  const unit = h.level === 'account' ? `a handoff (one per account, keyed by ${code(h.accountKeyProperty ?? '')}, however many of its contacts qualify)` : 'a handoff (one per contact, ever open)';
  const taxonomyRows = contract.rejectionTaxonomy.map((t) => [code(t.code), t.label, t.recyclable ? 'yes: back to nurture' : 'no: disqualified', code(t.hubspotLeadStatus), t.nurtureListId ?? (t.recyclable ? `${h.revert.nurtureListId} (default)` : '-')]);
  return [
    '### IV. HANDOFF & REVERT RULES',
    '',
    `**Trigger.** A HubSpot webhook (with a periodic sweep as a safety net) starts ${unit} the moment the MQL definition holds. The bridge waits up to ${h.syncGraceMinutes} minutes for the native connector to create the Salesforce lead, then creates it itself (never a duplicate).`,
    '',
    `**Routing.** ${POLICY_NAMES[r.policy]} across ${r.reps.length} reps${r.territoryProperty ? ` by ${code(r.territoryProperty)}` : ''}, skipping anyone out of office or outside their own working hours. Mechanism: the bridge sets the Salesforce OwnerId (synced to HubSpot's contact owner).`,
    '',
    `**The alert.** Fires the instant the lead is assigned and carries ${h.alertFacts.map(code).join(', ')}, the deadline and signed accept / reject links:`,
    ...alertLines(contract),
    '',
    refusedWriteParagraph(contract),
    '',
    `**Acceptance window.** ${h.acceptanceWindowBusinessMinutes} business minutes on the ${contract.calendar.timeZone} calendar (weekends and ${contract.calendar.holidays.length} holidays excluded), with a reminder ${h.reminderBeforeBreachBusinessMinutes} business minutes before breach. Acceptance is a Salesforce status change, a signed link or the CLI; the deadline is stamped in ${code('handoff_sla_deadline')} and ${code('SLA_Deadline__c')}.`,
    '',
    `**Revert and recycle.** ${revertAfter(contract)}; after that the lead reverts: HubSpot lifecycle ${code(h.revert.hubspotLifecycle)} (cleared first, because HubSpot ignores a backwards move), lead status ${code(h.revert.hubspotLeadStatus)}, nurture list ${h.revert.nurtureListId}, Salesforce status "${h.revert.salesforceStatus}". After ${h.readBackAfterMinutes} minutes both systems are read back and anything the sync undid is repaired. The revert recycles the lead; it is not a penalty.`,
    '',
    '**Rejection taxonomy (closed).** A rep may reject only with one of these codes:',
    '',
    table(['Code', 'Reason', 'Recyclable', 'HubSpot lead status', 'Nurture list'], taxonomyRows),
    '',
    mermaidBlock(handoffFlowchart(contract)),
  ].join('\n');
}

export function feedbackSection(contract: Contract): string {
  const f = contract.feedback;
  const trigger = contract.governance.recalibrationTrigger;
  const metric = contract.commitments.find((c) => c.id === trigger.metric);
  const threshold = metric ? describeTarget({ ...metric.target, value: trigger.below }) : String(trigger.below);
  const feeds = f.rejectionFeeds.map((feed) => `- ${feed.codes.map(code).join(', ')} → ${FEEDS[feed.informs]}.`);
  return [
    '### V. FEEDBACK LOOP',
    '',
    `Sales logs a disposition on every lead in ${code(f.dispositionField)} and, on rejection, a code from the taxonomy (stamped in ${code('handoff_rejection_reason')} in HubSpot). Marketing reads them monthly and each code feeds one part of the contract:`,
    '',
    ...feeds,
    '',
    `Closed-lost reasons (${code(f.closedLostReasonField)}) are reviewed at the quarterly recalibration, owned by ${ownerName(contract, contract.governance.quarterlyRecalibration.owner)}, against ${contract.governance.quarterlyRecalibration.reviews.map((r) => FEEDS[r]).join('; ')}.`,
    '',
    `**Recalibration trigger.** When ${code(trigger.metric)} is below ${threshold} for ${trigger.consecutiveMonths} consecutive month${trigger.consecutiveMonths === 1 ? '' : 's'}, the definitions are recalibrated at the next review rather than at the quarter.`,
  ].join('\n');
}
