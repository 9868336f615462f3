/**
 * leadHandoff: one durable workflow per lead, executing the contract's state machine from MQL in
 * HubSpot to accepted, reassigned or reverted to nurture in both systems.
 *
 * Only the state machine decides a transition (`advance`); this file decides *when* events happen
 * (timers, signals, updates) and which CRM writes each new stage needs.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  metricMeter,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Duration, SearchAttributeUpdatePair } from '@temporalio/common';
import type { AssignLeadResult, BridgeActivities, HubSpotActivities, SalesforceActivities } from '../activities/handoff-activities';
import { addBusinessMinutes } from '../mappings/calendar';
import { workingDaysWindowEnd } from '../mappings/calendar-days';
import type { Contract } from '../mappings/schema';
import { HUBSPOT_PROPERTIES as HS, OPPORTUNITY_LOST, OPPORTUNITY_WON, SALESFORCE_LEAD_FIELDS as SF } from '../mappings/crm-fields';
import { evaluateDefinition, missingRequired } from '../mappings/predicates';
import { watchFirstAttempt } from './first-attempt';
import { fitLeadFieldLengths, type FittedFields } from '../mappings/salesforce-lengths';
import { syncDirections } from '../mappings/sync-rules';
import { buildStateMachine, statusFor, type LeadEvent, type Stage } from '../mappings/state-machine';
import { assignCall, crmCall, crmLocalRead, notify, policy } from './activity-profiles';
import { createBlocking } from './blocking';
import { workflowNow } from './clock';
import { ownershipProblem } from './decision-owner';
import {
  acceptUpdate,
  contactChangedSignal,
  leadChangedSignal,
  rejectUpdate,
  stateQuery,
  type DecisionInput,
  type HandoffInput,
  type HandoffOutcome,
  type HandoffResult,
  type HandoffState,
  type RejectInput,
} from './handoff-api';
import { episodeLedger, type EpisodeLedger } from './episode-stamps';
import { hubspotTaskQueue, salesforceTaskQueue } from './ids';
import type { ChosenRep } from './routing-api';
import { rotationPolicyOf, routingInputsOf } from '../mappings/rotation-policy';
import { everyCoveringRepMissed } from '../mappings/routing';
import { OPPORTUNITY_CHECK_MINUTES } from '../mappings/crossing-lags';
import { handoffPriority } from './priority';
import { BREACHED, LEAD_SOURCE, LEAD_STAGE, OWNER_ID, REASSIGN_COUNT, REJECTION_REASON, SLA_DEADLINE } from './search-attributes';

/** How long a lead returned for incomplete data waits for marketing to complete it. */
const INCOMPLETE_DATA_WAIT = '30 days';
/** How often a converted lead's opportunity is checked for closed won (Won's lag in the lineage). */
const OPPORTUNITY_CHECK = `${OPPORTUNITY_CHECK_MINUTES} minutes`;
/** How long an accepted lead is followed for conversion before the handoff closes as accepted. */
const ACCEPTED_FOLLOW_UP_MS = 60 * 86_400_000;
/** How far Salesforce's clock may trail the workers' when ordering its changes against ours. */
const CLOCK_SKEW_TOLERANCE_MS = 5 * 60_000;
/** How often routing is retried when no rep is available (all out of office or off hours). */
const NO_REP_RETRY = '15 minutes';

type Decision = { kind: 'accept'; by: DecisionInput } | { kind: 'reject'; by: DecisionInput; reason: string };

export async function leadHandoff(input: HandoffInput): Promise<HandoffResult> {
  const orchestrationQueue = workflowInfo().taskQueue;
  const { loadPolicy } = proxyLocalActivities<BridgeActivities>(policy);
  const { sendAlert } = proxyLocalActivities<BridgeActivities>(notify);
  const { readContactAttempts } = proxyLocalActivities<BridgeActivities>(crmLocalRead);
  const hubspotCalls = proxyActivities<HubSpotActivities>({ ...crmCall, taskQueue: hubspotTaskQueue(orchestrationQueue) });
  const salesforceCalls = proxyActivities<SalesforceActivities>({ ...crmCall, taskQueue: salesforceTaskQueue(orchestrationQueue) });

  // Replay-safe counters, exported through the Runtime's Prometheus endpoint.
  const transitions = metricMeter.createCounter('handoff_stage_transitions', 'transitions', 'Lead handoffs entering each stage');
  const breaches = metricMeter.createCounter('handoff_sla_breaches', 'breaches', 'Acceptance windows missed');

  const workflowId = workflowInfo().workflowId;
  // The state exists, and answers queries, from the first moment: before the contract is loaded.
  const state: HandoffState = {
    portalId: input.portalId,
    contactId: input.contactId,
    stage: 'New',
    reassignments: 0,
    breached: false,
    marks: { handoffStartedAt: workflowNow().toISOString() },
    delays: {},
    timeline: [],
    flags: [],
  };
  let decision: Decision | undefined;
  /** Counts decisions whose CRM writes are done: an accept/reject update answers only after them. */
  let decisionsApplied = 0;
  /** Reads the decision through a call, so TypeScript does not narrow away what handlers set. */
  const pendingDecision = (): Decision | undefined => decision;
  let converted = false;
  /** Reps whose acceptance window ran out in this episode, in order. */
  const missedBy: string[] = [];
  /** Required fields blank at the first assignment: data completeness is judged at handover. */
  let missingAtHandover: string[] | undefined;
  let contactChanges = 0;
  const seenContactEvents = new Set<string>();
  setHandler(stateQuery, () => state);
  setHandler(contactChangedSignal, (change) => {
    if (seenContactEvents.has(change.eventId)) return;
    seenContactEvents.add(change.eventId);
    contactChanges += 1;
  });

  const contract: Contract = await loadPolicy({});
  const machine = buildStateMachine(contract);
  const taxonomy = new Map(contract.rejectionTaxonomy.map((r) => [r.code, r]));

  const note = (detail: string): void => {
    state.timeline.push({ at: workflowNow().toISOString(), stage: state.stage, event: 'note', detail });
  };
  /**
   * Search attributes change with every transition but are published only where the handoff can sit
   * for a while (a timer, a decision, the assignment's retries) and when it closes: each upsert is a
   * history event, and the Temporal UI only needs them while the lead sits somewhere.
   */
  const unpublished = new Map<string, SearchAttributeUpdatePair>();
  const setAttributes = (pairs: SearchAttributeUpdatePair[]): void => {
    for (const pair of pairs) unpublished.set(pair.key.name, pair);
  };
  const publishAttributes = (): void => {
    if (unpublished.size === 0) return;
    upsertSearchAttributes([...unpublished.values()]);
    unpublished.clear();
  };
  const waitFor = async (done: () => boolean, timeout: Duration): Promise<boolean> => {
    if (done()) return true;
    publishAttributes();
    return condition(done, timeout);
  };
  const pause = (duration: Duration): Promise<void> => {
    publishAttributes();
    return sleep(duration);
  };
  // A CRM call refused for good parks the handoff as Blocked until `lead retry` (workflows/blocking.ts).
  let leadLabel = `contact ${input.contactId}`;
  const blocking = createBlocking({ state, workflowId, lead: () => leadLabel, setAttributes, publishAttributes, note });
  const hubspot = blocking.guard(hubspotCalls);
  const salesforce = blocking.guard(salesforceCalls);

  const advance = (event: LeadEvent, detail?: string): Stage => {
    state.stage = machine.next(state.stage, event);
    transitions.add(1, { stage: state.stage, event });
    state.timeline.push({ at: workflowNow().toISOString(), stage: state.stage, event, detail });
    setAttributes([{ key: LEAD_STAGE, value: state.stage }]);
    return state.stage;
  };

  /**
   * Stamps that ride along with the handoff's next HubSpot write instead of costing a write of their
   * own: the alert's delivery time, which only the rep-delay measure reads, next to acceptance.
   */
  let carriedStamps: Record<string, string> = {};
  /** Set once the contact is read: from then on every HubSpot write carries the episode and its ledger. */
  let episode: EpisodeLedger | undefined;
  /** HubSpot writes go one after another, so the last ledger written is the newest. */
  let hubspotWrites: Promise<void> = Promise.resolve();
  const writeHubSpot = (properties: Record<string, string>, lifecycle?: string): Promise<void> => {
    const all = { ...carriedStamps, ...properties };
    carriedStamps = {};
    const write = hubspotWrites.then(() =>
      hubspot.writeContact({ contactId: input.contactId, properties: { ...all, ...episode?.propertiesFor(state, all) }, ...(lifecycle !== undefined ? { lifecycle } : {}) }),
    );
    hubspotWrites = write.catch(() => undefined);
    return write;
  };

  const closedStatuses = new Set([contract.handoff.revert.salesforceStatus, statusFor(contract, 'Disqualified').salesforceStatus]);
  const attempts = watchFirstAttempt({
    state,
    channels: contract.contactAttempts.channels,
    skewMs: CLOCK_SKEW_TOLERANCE_MS,
    stamp: (first) =>
      Promise.all([
        converted || !state.salesforceLeadId ? undefined : salesforce.updateLead({ leadId: state.salesforceLeadId, fields: { [SF.firstAttemptAt]: first } }),
        writeHubSpot({ [HS.handoffFirstAttemptAt]: first }),
      ]).then(() => undefined),
    onError: (err) => note(`first attempt not stamped: ${err instanceof Error ? err.message : String(err)}`),
  });
  let sqlSignalled = false;
  setHandler(leadChangedSignal, (change) => {
    if (change.leadId !== state.salesforceLeadId) return;
    if (change.attempt) return attempts.observe(change.attempt);
    if (change.isConverted) converted = true;
    // Only a change by the current owner, made after this assignment (allowing for clock skew between
    // Salesforce and the workers), decides: an earlier episode's status or reason never does.
    if (!state.marks.assignedAt || (change.ownerId && change.ownerId !== state.ownerId)) return;
    if (Date.parse(change.modifiedAt) < Date.parse(state.marks.assignedAt) - CLOCK_SKEW_TOLERANCE_MS) return;
    if (change.fields && evaluateDefinition(contract.definitions.sql, change.fields, workflowNow()).met) sqlSignalled = true;
    if (decision) return;
    const by: DecisionInput = { actor: change.ownerId ?? state.ownerId ?? 'salesforce', via: 'salesforce' };
    const reason = change.rejectionReason;
    const deciding = state.stage === 'AwaitingAcceptance' || state.stage === 'SAL';
    if (deciding && reason && taxonomy.has(reason) && change.status && closedStatuses.has(change.status)) {
      decision = { kind: 'reject', reason, by };
    } else if (state.stage === 'AwaitingAcceptance' && (change.isConverted || change.status === statusFor(contract, 'SAL').salesforceStatus)) {
      decision = { kind: 'accept', by };
    }
  });
  /** A decision made as a rep counts only while that rep owns the lead, in this assignment. */
  const refuseIfNotOwner = (by: DecisionInput): void => {
    const problem = ownershipProblem(state, by);
    if (problem) throw new Error(problem);
  };
  setHandler(
    acceptUpdate,
    async (by) => {
      const before = decisionsApplied;
      decision = { kind: 'accept', by };
      await condition(() => decisionsApplied > before);
      return state;
    },
    {
      validator: (by: DecisionInput) => {
        if (state.stage !== 'AwaitingAcceptance' || decision) {
          throw new Error(`lead ${input.contactId} is ${state.stage}, not awaiting acceptance`);
        }
        refuseIfNotOwner(by);
      },
    },
  );
  setHandler(
    rejectUpdate,
    async (req) => {
      const before = decisionsApplied;
      decision = { kind: 'reject', reason: req.reason, by: req };
      await condition(() => decisionsApplied > before);
      return state;
    },
    {
      validator: (req: RejectInput) => {
        if (!taxonomy.has(req.reason)) {
          throw new Error(`unknown rejection reason "${req.reason}": use one of ${[...taxonomy.keys()].join(', ')}`);
        }
        if ((state.stage !== 'AwaitingAcceptance' && state.stage !== 'SAL') || decision) {
          throw new Error(`lead ${input.contactId} is ${state.stage}: only a lead awaiting acceptance or accepted can be rejected`);
        }
        refuseIfNotOwner(req);
      },
    },
  );

  const finish = (outcome: HandoffOutcome): HandoffResult => {
    publishAttributes();
    state.outcome = outcome;
    state.marks.outcomeAt ??= workflowNow().toISOString();
    const { stage, ownerId, salesforceLeadId, rejectionReason, marks, delays, flags } = state;
    return { stage, outcome, ownerId, salesforceLeadId, rejectionReason, marks, delays, flags };
  };

  try {
    return await runHandoff();
  } catch (err) {
    throw explainFailure(err);
  }

  /**
   * Whatever else ends the handoff (a step out of retries, an alert channel refusing every message)
   * does so visibly: the timeline and the failure name the step, so no partial write goes unexplained.
   * A CRM refusal for good never gets here: it waits as Blocked (workflows/blocking.ts). The
   * adapters' messages carry operation and error code only, never personal data.
   */
  function explainFailure(err: unknown): unknown {
    if (!(err instanceof ActivityFailure)) return err;
    const cause = err.cause instanceof ApplicationFailure ? `${err.cause.type ?? 'error'}: ${err.cause.message}` : (err.cause?.message ?? err.message);
    const detail = `${err.activityType} failed at stage ${state.stage}: ${cause}`;
    note(`handoff stopped: ${detail}`);
    state.flags.push('crm_write_failed');
    publishAttributes();
    return ApplicationFailure.nonRetryable(`handoff ${workflowId} stopped: ${detail}`, 'HandoffStepFailed');
  }

  async function runHandoff(): Promise<HandoffResult> {
    // 1. Qualify: the contract's MQL definition and data-completeness bar, on what HubSpot says now.
    let contact = await hubspot.readContact({ contactId: input.contactId });
    if (!contact) return finish('contact_missing');
    const props = (): Record<string, string | null> => contact?.properties ?? {};
    setAttributes([{ key: LEAD_SOURCE, value: props()[HS.leadSource] ?? 'UNKNOWN' }]);
    leadLabel = `${props()[HS.company] ?? 'unknown company'} (contact ${input.contactId})`;
    upsertMemo({ lead: leadLabel });
    state.marks.mqlAt = props()[HS.mqlDate] ?? undefined;
    episode = episodeLedger(props()[HS.handoffEpisodes], { missedBy, missingAtHandover: () => missingAtHandover });

    if (alreadyHandled(props())) {
      note('this MQL episode already has a recorded outcome; nothing to do');
      return finish('already_handled');
    }
    const mql = evaluateDefinition(contract.definitions.mql, props(), workflowNow());
    if (!mql.met) {
      advance('not_qualified', mql.unmet.join('; '));
      return finish('not_qualified');
    }
    for (;;) {
      const missing = missingRequired(contract.dataCompleteness.requiredProperties, props());
      if (!missing.length) break;
      // Counted before the write: a completion that arrives while HubSpot is written still wakes the wait.
      const seen = contactChanges;
      if (state.stage !== 'ReturnedToMarketing') {
        advance('data_incomplete', `missing: ${missing.join(', ')}`);
        await writeHubSpot({ [HS.handoffOutcome]: 'RETURNED_INCOMPLETE', [HS.handoffOutcomeAt]: workflowNow().toISOString() });
      }
      if (!(await waitFor(() => contactChanges > seen, INCOMPLETE_DATA_WAIT))) return finish('returned_incomplete');
      contact = (await hubspot.readContact({ contactId: input.contactId })) ?? contact;
    }
    advance(state.stage === 'ReturnedToMarketing' ? 'requalified' : 'mql_confirmed');

    // 2. The Salesforce lead, sync-aware: with a grace period, reuse the lead the connector creates
    // (waiting for it up to the grace); assignment itself reuses any lead it finds and otherwise
    // upserts by the HubSpot-id external field (which can never create a duplicate).
    if (contract.handoff.syncGraceMinutes > 0) await awaitConnectorLead();

    // 3–6. Route and assign, alert, and run the acceptance clock; reassign on a miss up to the limit.
    let outcomeDecision: Decision | undefined;
    for (;;) {
      const { rep, assignedAt, deadline } = await assignWhenAvailable(missedBy);
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
        missingAtHandover = missingRequired(contract.dataCompleteness.requiredProperties, props());
        attempts.start();
      }
      advance(state.reassignments === 0 ? 'assigned' : 'reassigned', `owner ${rep.id}, deadline ${deadline.toISOString()}`);
      setAttributes([
        { key: OWNER_ID, value: rep.id },
        { key: SLA_DEADLINE, value: deadline },
        { key: REASSIGN_COUNT, value: state.reassignments },
      ]);
      // The owner is set in Salesforce: the rep is alerted, and HubSpot gets the SLA clock alongside.
      // handoff_assigned_at is the episode's FIRST assignment: a reassignment only moves the deadline.
      const [, alerted] = await Promise.all([
        writeHubSpot({ ...(state.reassignments === 0 ? { [HS.handoffAssignedAt]: assignedAt.toISOString() } : {}), [HS.handoffSlaDeadline]: deadline.toISOString() }),
        sendAlert({ kind: 'alert', workflowId, repId: rep.id, contactId: input.contactId, deadline: deadline.toISOString(), contact: props() }),
      ]);
      state.marks.alertedAt = alerted.deliveredAt;
      if (!state.marks.firstAlertedAt) {
        state.marks.firstAlertedAt = alerted.deliveredAt;
        // System delay: MQL → first assignment → alert delivered (connector, bridge, routing, notifier).
        if (state.marks.mqlAt) state.delays.systemSeconds = secondsBetween(state.marks.mqlAt, alerted.deliveredAt);
      }
      carriedStamps[HS.handoffAlertedAt] = alerted.deliveredAt;

      if (reminderAt < deadline && !(await waitFor(() => decision !== undefined, untilMs(reminderAt)))) {
        await sendAlert({ kind: 'reminder', workflowId, repId: rep.id, contactId: input.contactId, deadline: deadline.toISOString(), contact: props() });
        note(`reminder sent to ${rep.id}`);
      }
      if (await waitFor(() => decision !== undefined, untilMs(deadline))) {
        outcomeDecision = pendingDecision();
        if (outcomeDecision) break;
      }

      // Missed: the clock ran out with no decision. The breach is reported, then the lead moves on.
      state.breached = true;
      breaches.add(1);
      setAttributes([{ key: BREACHED, value: true }]);
      missedBy.push(rep.id);
      note(`acceptance window missed by ${rep.id}`);
      await sendAlert({ kind: 'breach', workflowId, repId: rep.id, contactId: input.contactId, deadline: deadline.toISOString(), contact: props() });
      const noRepLeft = everyCoveringRepMissed(contract, props(), missedBy);
      if (state.reassignments >= contract.handoff.reassignLimit || noRepLeft) {
        advance('reassign_limit_reached', noRepLeft ? 'every rep who covers the lead missed its window' : undefined);
        await revertToNurture('missed');
        return finish('reverted_missed');
      }
      state.reassignments += 1;
    }

    // 7. Decided within the window.
    if (outcomeDecision.kind === 'reject') return reject(outcomeDecision.reason, outcomeDecision.by);

    const acceptedAt = workflowNow();
    state.marks.acceptedAt = acceptedAt.toISOString();
    if (state.marks.alertedAt) state.delays.repSeconds = secondsBetween(state.marks.alertedAt, state.marks.acceptedAt);
    advance('accepted', `by ${outcomeDecision.by.actor} via ${outcomeDecision.by.via}`);
    decision = undefined;
    setAttributes([{ key: SLA_DEADLINE, value: null }]);
    await writeStageStatus('SAL', {
      salesforce: { [SF.acceptedAt]: acceptedAt.toISOString() },
      hubspot: { [HS.handoffAcceptedAt]: acceptedAt.toISOString() },
    });
    decisionsApplied += 1;

    // The contact-attempt commitment: Salesforce Tasks on the lead within the window (the same clock
    // time on the N-th working day), across channels. Meanwhile the SQL definition may be met.
    const attemptsWindowEnd = workingDaysWindowEnd(acceptedAt, contract.contactAttempts.windowBusinessDays, contract.calendar);
    await waitQualifying(() => converted || decision !== undefined, attemptsWindowEnd);
    await measureContactAttempts();

    if (!converted && !pendingDecision()) await waitQualifying(() => converted || decision !== undefined, new Date(workflowNow().getTime() + ACCEPTED_FOLLOW_UP_MS));
    const late = pendingDecision();
    if (late?.kind === 'reject' && state.stage === 'SAL') return reject(late.reason, late.by);
    if (!converted) return finish(state.stage === 'SQL' ? 'qualified' : 'accepted');

    advance('converted', 'lead converted in Salesforce');
    // Salesforce froze the converted lead: only HubSpot moves forward.
    await writeStageStatus('Opportunity', {
      salesforce: false,
      hubspot: { [HS.handoffOutcome]: 'CONVERTED', [HS.handoffOutcomeAt]: workflowNow().toISOString() },
    });
    // Won is the converted opportunity's answer in Salesforce, checked daily while the lead is followed.
    const followUntil = workflowNow().getTime() + ACCEPTED_FOLLOW_UP_MS;
    for (;;) {
      const opportunityStage = await salesforce.readOpportunityStage({ leadId: leadId() });
      if (opportunityStage === OPPORTUNITY_WON) {
        advance('won', 'opportunity closed won in Salesforce');
        await writeStageStatus('Customer', { salesforce: false, hubspot: { [HS.handoffOutcome]: 'WON', [HS.handoffOutcomeAt]: workflowNow().toISOString() } });
        return finish('won');
      }
      if (opportunityStage === OPPORTUNITY_LOST || opportunityStage === null || workflowNow().getTime() >= followUntil) return finish('converted');
      await pause(OPPORTUNITY_CHECK);
    }

    // ---- steps ----

    /**
     * Waits for `done` until `until`; when the watcher forwards Salesforce fields that meet the
     * contract's SQL definition meanwhile, the lead becomes SQL in both systems and the wait goes on.
     */
    async function waitQualifying(done: () => boolean, until: Date): Promise<void> {
      const qualifies = () => sqlSignalled && state.stage === 'SAL' && !converted;
      while (await waitFor(() => done() || qualifies(), untilMs(until))) {
        if (done() || !qualifies()) return;
        advance('qualified', 'SQL definition met on the Salesforce lead');
        await writeStageStatus('SQL', { salesforce: {}, hubspot: {} });
      }
    }

    /** The Salesforce lead's id, known from the first assignment on. */
    function leadId(): string {
      if (!state.salesforceLeadId) throw ApplicationFailure.nonRetryable(`handoff ${workflowId} has no Salesforce lead yet`, 'NoSalesforceLead');
      return state.salesforceLeadId;
    }

    function leadKnown(id: string, origin: AssignLeadResult['origin']): void {
      if (state.salesforceLeadId === id) return;
      state.salesforceLeadId = id;
      state.marks.salesforceLeadReadyAt ??= workflowNow().toISOString();
      note(origin === 'found' ? `reusing Salesforce lead ${id}` : `${origin === 'created' ? 'created' : 'found'} Salesforce lead ${id} by HubSpot id`);
    }

    /** Waits up to the contract's grace period for the connector's lead, re-reading the contact as it syncs. */
    async function awaitConnectorLead(): Promise<void> {
      const lookup = () =>
        salesforce.findLead({
          hubspotContactId: input.contactId,
          salesforceLeadId: props()[HS.salesforceLeadId] ?? undefined,
          email: props()[HS.email] ?? undefined,
        });
      let lead = await lookup();
      if (!lead) {
        const graceEnds = workflowNow().getTime() + contract.handoff.syncGraceMinutes * 60_000;
        note(`waiting up to ${contract.handoff.syncGraceMinutes} min for the connector to create the Salesforce lead`);
        while (!lead && workflowNow().getTime() < graceEnds) {
          await pause(Math.min(60_000, graceEnds - workflowNow().getTime()));
          contact = (await hubspot.readContact({ contactId: input.contactId })) ?? contact;
          lead = await lookup();
        }
      }
      if (lead) leadKnown(lead.id, 'found');
    }

    /**
     * Routes and assigns in one Salesforce activity (see assignLead), retrying while no rep is
     * available. Each try asks the routing queue under its own request id: a retried activity gets the
     * same answer, a new try a fresh one.
     */
    async function assignWhenAvailable(exclude: string[]): Promise<{ rep: ChosenRep; assignedAt: Date; deadline: Date }> {
      for (let attempt = 1; ; attempt++) {
        // Assignment can retry for hours when Salesforce or routing is down: the lead shows its stage meanwhile.
        publishAttributes();
        // A refused assignment waits Blocked; its retry asks routing afresh, with the policy in force
        // then (the fix may be a corrected rep), and starts the clock then.
        const { placed, assignedAt, deadline, newLead } = await blocking.run('assignLead', async (retry) => {
          const routingContract = retry > 0 ? await loadPolicy({}) : contract;
          const assignedAt = workflowNow();
          const deadline = addBusinessMinutes(assignedAt, contract.handoff.acceptanceWindowBusinessMinutes, contract.calendar);
          const newLead = leadFieldsFrom(contract, props());
          const routing = routingInputsOf(routingContract, props(), assignedAt);
          const { assignLead } = proxyActivities<SalesforceActivities>({
            ...assignCall,
            taskQueue: salesforceTaskQueue(orchestrationQueue),
            priority: handoffPriority(input.portalId, routing.hot),
          });
          const placed = await assignLead({
            portalId: input.portalId,
            requestId: `${workflowId}:${state.reassignments}:${attempt}${retry > 0 ? `:retry${retry}` : ''}`,
            policy: rotationPolicyOf(routingContract),
            routing,
            exclude,
            now: assignedAt.toISOString(),
            hubspotContactId: input.contactId,
            salesforceLeadId: state.salesforceLeadId ?? props()[HS.salesforceLeadId] ?? undefined,
            email: props()[HS.email] ?? undefined,
            newLeadFields: newLead.fields,
            assignment: {
              // A lead the native connector created lacks the HubSpot-id field, and the Salesforce watcher
              // forwards a rep's status change only for leads that name their contact.
              [SF.hubspotContactId]: input.contactId,
              [SF.status]: statusFor(contract, 'AwaitingAcceptance').salesforceStatus,
              [SF.assignedAt]: assignedAt.toISOString(),
              [SF.slaDeadline]: deadline.toISOString(),
              [SF.mqlAt]: state.marks.mqlAt ?? null,
              [SF.rejectionReason]: null,
            },
          });
          return { placed, assignedAt, deadline, newLead };
        });
        leadKnown(placed.leadId, placed.origin);
        if (placed.origin === 'created') for (const line of newLead.notes) note(line);
        if (placed.choice.rep) return { rep: placed.choice.rep, assignedAt, deadline };
        note(`no rep available (${placed.choice.reason}); retrying in ${NO_REP_RETRY}`);
        await pause(NO_REP_RETRY);
      }
    }

    async function reject(reason: string, by: DecisionInput): Promise<HandoffResult> {
      const entry = taxonomy.get(reason);
      if (!entry) throw ApplicationFailure.nonRetryable(`rejection reason ${reason} is not in the taxonomy`, 'UnknownRejectionReason');
      state.rejectionReason = reason;
      setAttributes([{ key: REJECTION_REASON, value: reason }]);
      if (entry.recyclable) {
        advance('rejected_recyclable', `${reason} by ${by.actor} via ${by.via}`);
        await revertToNurture('rejected', reason);
        return finish('reverted_rejected');
      }
      advance('rejected_final', `${reason} by ${by.actor} via ${by.via}`);
      await writeStageStatus('Disqualified', {
        salesforce: { [SF.rejectionReason]: reason },
        hubspot: { [HS.handoffRejectionReason]: reason, [HS.handoffOutcome]: 'DISQUALIFIED', [HS.handoffOutcomeAt]: workflowNow().toISOString() },
      });
      decisionsApplied += 1;
      return finish('disqualified');
    }

    /**
     * Writes the lifecycle, lead status and stamps a stage maps to, in both systems at once
     * (`salesforce: false` when Salesforce no longer accepts writes, as for a converted lead).
     */
    async function writeStageStatus(
      stage: Stage,
      writes: { salesforce: Record<string, string | null> | false; hubspot: Record<string, string> },
    ): Promise<void> {
      const target = statusFor(contract, stage);
      const lifecycle = target.hubspotLifecycle !== props()[HS.lifecycleStage] ? target.hubspotLifecycle : undefined;
      await Promise.all([
        writes.salesforce ? salesforce.updateLead({ leadId: leadId(), fields: { [SF.status]: target.salesforceStatus, ...writes.salesforce } }) : undefined,
        writeHubSpot({ ...(target.hubspotLeadStatus ? { [HS.leadStatus]: target.hubspotLeadStatus } : {}), ...writes.hubspot }, lifecycle),
      ]);
    }

    /**
     * Back to nurture in both systems; HubSpot's lifecycle only moves backwards when cleared first.
     * Then, after the connector's cycle, read both back and repair what the sync undid.
     */
    async function revertToNurture(cause: 'missed' | 'rejected', reason?: string): Promise<void> {
      const entry = reason ? taxonomy.get(reason) : undefined;
      const revert = contract.handoff.revert;
      const listId = entry?.nurtureListId ?? revert.nurtureListId;
      const outcomeAt = workflowNow().toISOString();
      await Promise.all([
        salesforce.updateLead({ leadId: leadId(), fields: { [SF.status]: revert.salesforceStatus, [SF.rejectionReason]: reason ?? 'SLA_MISSED' } }),
        writeHubSpot(
          {
            [HS.leadStatus]: entry?.hubspotLeadStatus ?? revert.hubspotLeadStatus,
            [HS.handoffOutcome]: cause === 'missed' ? 'REVERTED_SLA_MISSED' : 'REVERTED_REJECTED',
            [HS.handoffOutcomeAt]: outcomeAt,
            ...(reason ? { [HS.handoffRejectionReason]: reason } : {}),
          },
          revert.hubspotLifecycle,
        ),
        listId ? hubspot.addToList({ listId, contactIds: [input.contactId] }) : undefined,
      ]);
      state.marks.outcomeAt = outcomeAt;
      if (cause === 'rejected') decisionsApplied += 1;

      for (let check = 1; check <= 2; check++) {
        await pause(`${contract.handoff.readBackAfterMinutes} minutes`);
        const [hsBack, sfBack] = await Promise.all([
          hubspot.readContact({ contactId: input.contactId }),
          salesforce.readLead({ leadId: leadId() }),
        ]);
        const hubspotOk = hsBack?.properties[HS.lifecycleStage] === revert.hubspotLifecycle;
        const salesforceOk = sfBack?.fields[SF.status] === revert.salesforceStatus;
        if (hubspotOk && salesforceOk) {
          note(check === 1 ? 'revert verified in both systems after the sync' : 'revert repaired and verified');
          if (check === 2) state.flags.push('revert_repaired');
          return;
        }
        note(`read-back ${check}: sync undid the revert (${[hubspotOk ? '' : 'HubSpot lifecycle', salesforceOk ? '' : 'Salesforce status'].filter(Boolean).join(', ')})`);
        if (check === 2) break;
        await Promise.all([
          hubspotOk ? undefined : writeHubSpot({}, revert.hubspotLifecycle),
          salesforceOk ? undefined : salesforce.updateLead({ leadId: leadId(), fields: { [SF.status]: revert.salesforceStatus } }),
        ]);
      }
      state.flags.push('revert_unverified');
    }

    /** The follow-up commitment at the window's close: counted channels only, since the first assignment. */
    async function measureContactAttempts(): Promise<void> {
      const since = state.marks.firstAssignedAt ?? state.marks.assignedAt ?? workflowNow().toISOString();
      const counted = new Set<string>(contract.contactAttempts.channels);
      const tasks = (await readContactAttempts({ leadId: leadId(), since })).filter((t) => counted.has(t.channel));
      // A Task the watcher missed still counts for speed-to-lead: the stamper writes it if it is the earliest.
      for (const task of tasks) attempts.observe({ taskId: task.id, channel: task.channel, createdAt: task.createdAt });
      const channels = new Set(tasks.map((t) => t.channel));
      const required = contract.contactAttempts;
      const missingChannels = required.channels.filter((c) => !channels.has(c));
      note(`contact attempts: ${tasks.length}/${required.attempts} across ${[...channels].join(', ') || 'no channel'}`);
      if (tasks.length < required.attempts || missingChannels.length) state.flags.push('contact_attempts_missed');
    }

    function alreadyHandled(p: Record<string, string | null>): boolean {
      const outcomeAt = p[HS.handoffOutcomeAt];
      const mqlAt = p[HS.mqlDate];
      return Boolean(outcomeAt && mqlAt && outcomeAt >= mqlAt && p[HS.handoffOutcome] !== 'RETURNED_INCOMPLETE');
    }
  }
}

function untilMs(at: Date): number {
  return Math.max(1, at.getTime() - workflowNow().getTime());
}

function secondsBetween(fromIso: string, toIso: string): number {
  return Math.max(0, Math.round((Date.parse(toIso) - Date.parse(fromIso)) / 1000));
}


/**
 * The fields a new Salesforce lead gets from the contact: every field the contract's mappings let flow
 * to Salesforce (picklists through their value maps), as the connector itself would have written them.
 * Salesforce requires LastName and Company; the connector fills blanks with "[not provided]".
 */
function leadFieldsFrom(contract: Contract, props: Record<string, string | null>): FittedFields {
  const fields: Record<string, string | null> = {};
  for (const mapping of contract.fieldMappings) {
    // Ownership is the bridge's job (routing), and HubSpot owner ids are not Salesforce user ids.
    if (mapping.salesforce === SF.ownerId) continue;
    const value = props[mapping.hubspot];
    if (!syncDirections(mapping.rule).toSalesforce || value === null || value === undefined || value === '') continue;
    const mapped = mapping.valueMap ? mapping.valueMap[value] : value;
    if (mapped !== undefined) fields[mapping.salesforce] = mapped;
  }
  fields[SF.lastName] ??= props[HS.lastName] || '[not provided]';
  fields[SF.company] ??= props[HS.company] || '[not provided]';
  fields[SF.email] ??= props[HS.email] ?? null;
  // Salesforce refuses text longer than the field: cut to fit (the timeline says which and why).
  return fitLeadFieldLengths(fields);
}
