/**
 * Phase 4, close on an acceptance: SAL in both systems, then the contact-attempt commitment, the SQL
 * definition met meanwhile, conversion and a won opportunity, while the lead is followed.
 */
import type { HandoffResult } from '../../api/handoff';
import { SLA_DEADLINE } from '../../api/search-attributes';
import { workingDaysWindowEnd } from '../../mappings/calendar';
import { OPPORTUNITY_CHECK_MINUTES } from '../../mappings/contract';
import { HUBSPOT_PROPERTIES as HS, OPPORTUNITY_LOST, OPPORTUNITY_WON, SALESFORCE_LEAD_FIELDS as SF } from '../../mappings/crm';
import { workflowNow } from '../clock';
import { reject } from './close';
import { secondsBetween, untilMs, type Decision, type HandoffRun } from './run';

/** How often a converted lead's opportunity is checked for closed won (Won's lag in the lineage). */
const OPPORTUNITY_CHECK = `${OPPORTUNITY_CHECK_MINUTES} minutes`;
/** How long an accepted lead is followed for conversion before the handoff closes as accepted. */
const ACCEPTED_FOLLOW_UP_MS = 60 * 86_400_000;

export async function followAccepted(run: HandoffRun, accepted: Extract<Decision, { kind: 'accept' }>): Promise<HandoffResult> {
  const { state, contract } = run;
  const acceptedAt = workflowNow();
  state.marks.acceptedAt = acceptedAt.toISOString();
  if (state.marks.alertedAt) state.delays.repSeconds = secondsBetween(state.marks.alertedAt, state.marks.acceptedAt);
  run.advance('accepted', `by ${accepted.by.actor} via ${accepted.by.via}`);
  run.decision = undefined;
  run.setAttributes([{ key: SLA_DEADLINE, value: null }]);
  await run.writeStageStatus('SAL', {
    salesforce: { [SF.acceptedAt]: acceptedAt.toISOString() },
    hubspot: { [HS.handoffAcceptedAt]: acceptedAt.toISOString() },
  });
  run.decisionsApplied += 1;

  // The contact-attempt commitment: Salesforce Tasks on the lead within the window (the same clock
  // time on the N-th working day), across channels. Meanwhile the SQL definition may be met.
  const attemptsWindowEnd = workingDaysWindowEnd(acceptedAt, contract.contactAttempts.windowBusinessDays, contract.calendar);
  await waitQualifying(run, () => run.converted || run.decision !== undefined, attemptsWindowEnd);
  await measureContactAttempts(run);

  if (!run.converted && !run.pendingDecision()) await waitQualifying(run, () => run.converted || run.decision !== undefined, new Date(workflowNow().getTime() + ACCEPTED_FOLLOW_UP_MS));
  const late = run.pendingDecision();
  if (late?.kind === 'reject' && state.stage === 'SAL') return reject(run, late.reason, late.by);
  if (!run.converted) return run.finish(state.stage === 'SQL' ? 'qualified' : 'accepted');

  run.advance('converted', 'lead converted in Salesforce');
  // Salesforce froze the converted lead: only HubSpot moves forward.
  await run.writeStageStatus('Opportunity', {
    salesforce: false,
    hubspot: { [HS.handoffOutcome]: 'CONVERTED', [HS.handoffOutcomeAt]: workflowNow().toISOString() },
  });
  // Won is the converted opportunity's answer in Salesforce, checked daily while the lead is followed.
  const followUntil = workflowNow().getTime() + ACCEPTED_FOLLOW_UP_MS;
  for (;;) {
    const opportunityStage = await run.salesforce.readOpportunityStage({ leadId: run.leadId() });
    if (opportunityStage === OPPORTUNITY_WON) {
      run.advance('won', 'opportunity closed won in Salesforce');
      await run.writeStageStatus('Customer', { salesforce: false, hubspot: { [HS.handoffOutcome]: 'WON', [HS.handoffOutcomeAt]: workflowNow().toISOString() } });
      return run.finish('won');
    }
    if (opportunityStage === OPPORTUNITY_LOST || opportunityStage === null || workflowNow().getTime() >= followUntil) return run.finish('converted');
    await run.pause(OPPORTUNITY_CHECK);
  }
}

/**
 * Waits for `done` until `until`; when the watcher forwards Salesforce fields that meet the
 * contract's SQL definition meanwhile, the lead becomes SQL in both systems and the wait goes on.
 */
async function waitQualifying(run: HandoffRun, done: () => boolean, until: Date): Promise<void> {
  const qualifies = () => run.sqlSignalled && run.state.stage === 'SAL' && !run.converted;
  while (await run.waitFor(() => done() || qualifies(), untilMs(until))) {
    if (done() || !qualifies()) return;
    run.advance('qualified', 'SQL definition met on the Salesforce lead');
    await run.writeStageStatus('SQL', { salesforce: {}, hubspot: {} });
  }
}

/** The follow-up commitment at the window's close: counted channels only, since the first assignment. */
async function measureContactAttempts(run: HandoffRun): Promise<void> {
  const { state, contract } = run;
  const since = state.marks.firstAssignedAt ?? state.marks.assignedAt ?? workflowNow().toISOString();
  const counted = new Set<string>(contract.contactAttempts.channels);
  const tasks = (await run.bridge.readContactAttempts({ leadId: run.leadId(), since })).filter((t) => counted.has(t.channel));
  // A Task the watcher missed still counts for speed-to-lead: the stamper writes it if it is the earliest.
  for (const task of tasks) run.loaded.attempts.observe({ taskId: task.id, channel: task.channel, createdAt: task.createdAt });
  const channels = new Set(tasks.map((t) => t.channel));
  const required = contract.contactAttempts;
  const missingChannels = required.channels.filter((c) => !channels.has(c));
  run.note(`contact attempts: ${tasks.length}/${required.attempts} across ${[...channels].join(', ') || 'no channel'}`);
  if (tasks.length < required.attempts || missingChannels.length) state.flags.push('contact_attempts_missed');
}
