/**
 * One handoff's state object: what the leadHandoff workflow knows and the steps every phase shares
 * (transitions, search attributes, timed waits, CRM writes). The phases (qualify.ts, place.ts,
 * await-decision.ts, accepted.ts, close.ts) and the handlers (handlers.ts) act on it; lead-handoff.ts
 * runs them in order.
 */
import { ActivityFailure, ApplicationFailure, condition, patched, proxyActivities, proxyLocalActivities, sleep, upsertMemo, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { Duration, SearchAttributeUpdatePair } from '@temporalio/common';
import type { BridgeActivities, HubSpotActivities, SalesforceActivities } from '../../activities/handoff';
import { buildStateMachine, statusFor, type HandoffContract, type LeadEvent, type PinnedContract, type Stage, type StateMachine } from '../../mappings/contract';
import { CRM_ERROR_TYPES, HUBSPOT_PROPERTIES as HS, SALESFORCE_LEAD_FIELDS as SF } from '../../mappings/crm';
import type { DecisionInput, HandoffInput, HandoffOutcome, HandoffResult, HandoffResume, HandoffState } from '../../api/handoff';
import { hubspotTaskQueue, salesforceTaskQueue } from '../../api/ids';
import { isHotPriority } from '../../api/priority';
import { LEAD_SOURCE, LEAD_STAGE } from '../../api/search-attributes';
import { crmCall, crmLocalRead, notify, queueSignal } from '../activity-profiles';
import { workflowNow } from '../clock';
import { createBlocking, type Blocking } from './blocking';
import { pinContractVersion } from './contract-version';
import { episodeLedger, type EpisodeLedger } from './episode-stamps';
import { watchFirstAttempt, type FirstAttemptWatch } from './first-attempt';
import { createRoutingHold, type RoutingHold } from './routing-hold';
import { handoffCounters, type HandoffCounters } from './metrics';

/**
 * A hot-lane handoff started under this code makes its CRM steps before the alert as local activities
 * (activity-profiles.ts crmLocalRead and hotLaneAssignCall); one started before keeps its task-queue activities.
 */
export const HOT_LANE_LOCAL_CRM_PATCH = 'hot-lane-local-crm';

/** The reads on the way to the alert that a hot-lane handoff makes locally (the assignment: place.ts). */
const HOT_LANE_LOCAL_READS = new Set(['readContact', 'findLead']);

/** How far Salesforce's clock may trail the workers' when ordering its changes against ours. */
export const CLOCK_SKEW_TOLERANCE_MS = 5 * 60_000;

export type Decision = { kind: 'accept'; by: DecisionInput } | { kind: 'reject'; by: DecisionInput; reason: string };
type Contact = Awaited<ReturnType<HubSpotActivities['readContact']>>;
type RejectionEntry = HandoffContract['rejectionTaxonomy'][number];

/** What the handoff knows once the contract it runs on is loaded. */
export interface LoadedPolicy {
  /** The contract version pinned (hash) and the part of it the workflow reads. */
  pinned: PinnedContract;
  contract: HandoffContract;
  machine: StateMachine;
  taxonomy: Map<string, RejectionEntry>;
  /** Salesforce statuses that close a lead: a rejection reason counts only with one of them. */
  closedStatuses: Set<string>;
  attempts: FirstAttemptWatch;
}

export class HandoffRun {
  readonly orchestrationQueue = workflowInfo().taskQueue;
  readonly workflowId = workflowInfo().workflowId;
  /**
   * A priority lead (started at the top task priority, on the hot lane): its contact read and
   * assignment run in its own workflow task. Read from the run's start, as a replay reads it too.
   */
  readonly localCrm = isHotPriority(workflowInfo().priority) && patched(HOT_LANE_LOCAL_CRM_PATCH);
  /** Bridge-internal local activities, each with its profile. */
  readonly bridge = {
    sendAlert: proxyLocalActivities<BridgeActivities>(notify).sendAlert,
    readContactAttempts: proxyLocalActivities<BridgeActivities>(crmLocalRead).readContactAttempts,
    releaseRoutingSlot: proxyLocalActivities<BridgeActivities>(queueSignal).releaseRoutingSlot,
  };
  /** Replay-safe counters, exported through the Runtime's Prometheus endpoint. */
  readonly counters: HandoffCounters = handoffCounters();
  // The state exists, and answers queries, from the first moment: before the contract is loaded.
  readonly state: HandoffState;

  decision: Decision | undefined;
  /** Counts decisions whose CRM writes are done: an accept/reject update answers only after them. */
  decisionsApplied = 0;
  converted = false;
  sqlSignalled = false;
  /** Reps whose acceptance window ran out in this episode, in order. */
  readonly missedBy: string[];
  /** Required fields blank at the first assignment: data completeness is judged at handover. */
  missingAtHandover: string[] | undefined;
  contactChanges = 0;
  readonly seenContactEvents = new Set<string>();
  /** The contact as last read from HubSpot. */
  contact: Contact = null;
  leadLabel: string;
  /** Set once the contact is read: from then on every HubSpot write carries the episode and its ledger. */
  episode: EpisodeLedger | undefined;
  policy: LoadedPolicy | undefined;
  /** The routing try a run continued as new mid-wait starts at (place.ts takes it once). */
  resumedRoutingAttempt: number | undefined;

  // A CRM call refused for good parks the handoff as Blocked until `lead retry` (blocking.ts).
  readonly blocking: Blocking;
  readonly hubspot: HubSpotActivities;
  readonly salesforce: SalesforceActivities;
  /** No rep yet: sleep until one is back or a slot is reserved; free the rep's slot on a decision or miss (routing-hold.ts). */
  readonly routingHold: RoutingHold;

  /**
   * Search attributes change with every transition but are published only where the handoff can sit
   * for a while (a timer, a decision, the assignment's retries) and when it closes: each upsert is a
   * history event and a write to the server's visibility store (about 4.7 ms of the dev server's CPU,
   * a tenth of a whole bare workflow's: bench/visibility-cost.ts), and the Temporal UI and the stuck
   * queries only need them while the lead sits somewhere. The memo (the lead's label) goes with them.
   */
  private readonly unpublished = new Map<string, SearchAttributeUpdatePair>();
  private unpublishedMemo: Record<string, unknown> | undefined;
  /**
   * LeadStage as the server shows it. The ingress starts a handoff with LeadStage=MQL
   * (worker/handoff-starter.ts), so one whose assignment retries, or that no worker has picked up, is
   * already in the stuck queries; a run started without it (before the ingress set it, or continued
   * as new) publishes as it always did (`staged` false), so its recorded history replays unchanged.
   */
  private visibleStage: string | undefined;
  private readonly staged: boolean;
  /**
   * Stamps that ride along with the handoff's next HubSpot write instead of costing a write of their
   * own: the alert's delivery time, which only the rep-delay measure reads, next to acceptance.
   */
  carriedStamps: Record<string, string> = {};
  /** HubSpot writes go one after another, so the last ledger written is the newest. */
  private hubspotWrites: Promise<void> = Promise.resolve();

  constructor(readonly input: HandoffInput) {
    const resume = input.resume;
    this.state = resume?.state ?? {
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
    this.visibleStage = workflowInfo().typedSearchAttributes.get(LEAD_STAGE);
    this.staged = !resume && this.visibleStage !== undefined;
    // Shown MQL from its start, a staged run is New until qualified: that waits to be published like
    // any change, so one that ends before its first transition (contact missing) shows where it ended.
    if (this.staged && this.visibleStage !== this.state.stage) this.setAttributes([{ key: LEAD_STAGE, value: this.state.stage }]);
    this.leadLabel = resume?.leadLabel ?? `contact ${input.contactId}`;
    this.missedBy = resume ? [...resume.missedBy] : [];
    if (resume) this.resumeFrom(resume);
    else this.counters.started.add(1);
    this.blocking = createBlocking({
      state: this.state,
      workflowId: this.workflowId,
      lead: () => this.leadLabel,
      contractHash: () => this.hash,
      setAttributes: this.setAttributes,
      publishAttributes: this.publishAttributes,
      note: this.note,
      ...(resume ? { alerted: resume.blockedAlerted } : {}),
    });
    const hubspot = proxyActivities<HubSpotActivities>({ ...crmCall, taskQueue: hubspotTaskQueue(this.orchestrationQueue) });
    const salesforce = proxyActivities<SalesforceActivities>({ ...crmCall, taskQueue: salesforceTaskQueue(this.orchestrationQueue) });
    this.hubspot = this.blocking.guard(this.localCrm ? readLocally(hubspot, proxyLocalActivities<HubSpotActivities>(crmLocalRead)) : hubspot);
    this.salesforce = this.blocking.guard(this.localCrm ? readLocally(salesforce, proxyLocalActivities<SalesforceActivities>(crmLocalRead)) : salesforce);
    this.routingHold = createRoutingHold({
      state: this.state,
      workflowId: this.workflowId,
      setAttributes: this.setAttributes,
      publishAttributes: this.publishAttributes,
      note: this.note,
      releaseSlot: this.bridge.releaseRoutingSlot,
    });
  }

  /**
   * Pins the contract version this handoff runs on to its end (contract-version.ts), with what is
   * derived from it; an operator's rebase swaps both from the next step on.
   */
  async loadPolicy(skewMs: number): Promise<LoadedPolicy> {
    const pinned = await pinContractVersion(this.state, this.input.contractHash, (next) => {
      if (this.policy) this.policy = { ...derivedFrom(next), attempts: this.policy.attempts };
      // A lead waiting for a rep asks routing again under the new version's reps, now.
      this.routingHold.wake(`contract version ${next.hash}`);
    });
    const { contract } = pinned;
    const attempts = watchFirstAttempt({
      state: this.state,
      channels: contract.contactAttempts.channels,
      skewMs,
      stamp: (first) =>
        Promise.all([
          this.converted || !this.state.salesforceLeadId ? undefined : this.writeLead({ [SF.firstAttemptAt]: first }, 'the first attempt stamp'),
          this.writeHubSpot({ [HS.handoffFirstAttemptAt]: first }),
        ]).then(() => undefined),
      onError: (err) => this.note(`first attempt not stamped: ${err instanceof Error ? err.message : String(err)}`),
      ...(this.input.resume ? { resumed: this.input.resume.firstAttempt } : {}),
    });
    this.policy = { ...derivedFrom(pinned), attempts };
    return this.policy;
  }

  /** A run continued as new during a routing wait: what the previous run knew (continue-wait.ts carries it). */
  private resumeFrom(resume: HandoffResume): void {
    this.missingAtHandover = resume.missingAtHandover;
    this.contact = resume.contact;
    this.contactChanges = resume.contactChanges;
    for (const id of resume.seenContactEvents) this.seenContactEvents.add(id);
    this.converted = resume.converted;
    this.sqlSignalled = resume.sqlSignalled;
    this.decision = resume.decision;
    this.carriedStamps = { ...resume.carriedStamps };
    this.resumedRoutingAttempt = resume.routingAttempt;
    if (resume.contact) {
      this.episode = episodeLedger(resume.contact.properties[HS.handoffEpisodes], { missedBy: this.missedBy, missingAtHandover: () => this.missingAtHandover }, resume.episodeOutcome);
    }
  }

  /** The pinned version's content hash: activities resolve the whole version from it. */
  get hash(): string {
    return this.loaded.pinned.hash;
  }

  get loaded(): LoadedPolicy {
    if (!this.policy) throw ApplicationFailure.nonRetryable(`handoff ${this.workflowId} used its contract before loading it`, 'ContractNotLoaded');
    return this.policy;
  }

  get contract(): HandoffContract {
    return this.loaded.contract;
  }

  /** Reads the decision through a call, so TypeScript does not narrow away what handlers set. */
  pendingDecision(): Decision | undefined {
    return this.decision;
  }

  props(): Record<string, string | null> {
    return this.contact?.properties ?? {};
  }

  readonly note = (detail: string): void => {
    this.state.timeline.push({ at: workflowNow().toISOString(), stage: this.state.stage, event: 'note', detail });
  };

  readonly setAttributes = (pairs: SearchAttributeUpdatePair[]): void => {
    for (const pair of pairs) this.unpublished.set(pair.key.name, pair);
  };

  /** The memo: at once in a run started without LeadStage (as before), else with the next publish. */
  setMemo(memo: Record<string, unknown>): void {
    if (this.staged) this.unpublishedMemo = { ...this.unpublishedMemo, ...memo };
    else upsertMemo(memo);
  }

  readonly publishAttributes = (): void => {
    if (this.unpublishedMemo) upsertMemo(this.unpublishedMemo);
    this.unpublishedMemo = undefined;
    if (this.unpublished.size === 0) return;
    const stage = this.unpublished.get(LEAD_STAGE.name);
    if (stage) this.visibleStage = String(stage.value);
    upsertSearchAttributes([...this.unpublished.values()]);
    this.unpublished.clear();
  };

  /**
   * Before the assignment, which can retry for hours while Salesforce or routing is down: the lead
   * must show where it is meanwhile. A staged run's first assignment finds its stage shown since its
   * start and only labels waiting (the lead source, the memo): they go with the next publish (the
   * alert's wait, moments later) instead of costing a write of their own. Anything else waiting (a
   * breach before a reassignment, a new stage) is published first, as always.
   */
  publishBeforeAssignment(): void {
    const onlyLabels = [...this.unpublished.keys()].every((name) => name === LEAD_SOURCE.name || name === LEAD_STAGE.name);
    if (!this.staged || this.state.stage !== this.visibleStage || !onlyLabels) this.publishAttributes();
  }

  async waitFor(done: () => boolean, timeout: Duration): Promise<boolean> {
    if (done()) return true;
    this.publishAttributes();
    return condition(done, timeout);
  }

  pause(duration: Duration): Promise<void> {
    this.publishAttributes();
    return sleep(duration);
  }

  /** Only the state machine decides a transition. */
  advance(event: LeadEvent, detail?: string): Stage {
    const { state } = this;
    state.stage = this.loaded.machine.next(state.stage, event);
    this.counters.transitions.add(1, { stage: state.stage, event });
    state.timeline.push({ at: workflowNow().toISOString(), stage: state.stage, event, detail });
    this.setAttributes([{ key: LEAD_STAGE, value: state.stage }]);
    return state.stage;
  }

  writeHubSpot(properties: Record<string, string>, lifecycle?: string): Promise<void> {
    const all = { ...this.carriedStamps, ...properties };
    this.carriedStamps = {};
    const write = this.hubspotWrites.then(() =>
      this.hubspot.writeContact({
        contactId: this.input.contactId,
        properties: { ...all, ...this.episode?.propertiesFor(this.state, all) },
        ...(lifecycle !== undefined ? { lifecycle } : {}),
      }),
    );
    this.hubspotWrites = write.catch(() => undefined);
    return write;
  }

  /**
   * Writes the lifecycle, lead status and stamps a stage maps to, in both systems at once
   * (`salesforce: false` when Salesforce no longer accepts writes, as for a converted lead).
   */
  async writeStageStatus(stage: Stage, writes: { salesforce: Record<string, string | null> | false; hubspot: Record<string, string> }): Promise<void> {
    const target = statusFor(this.contract, stage);
    const lifecycle = target.hubspotLifecycle !== this.props()[HS.lifecycleStage] ? target.hubspotLifecycle : undefined;
    await Promise.all([
      writes.salesforce ? this.writeLead({ [SF.status]: target.salesforceStatus, ...writes.salesforce }, `the ${stage} status`) : undefined,
      this.writeHubSpot({ ...(target.hubspotLeadStatus ? { [HS.leadStatus]: target.hubspotLeadStatus } : {}), ...writes.hubspot }, lifecycle),
    ]);
  }

  /**
   * Writes fields on the Salesforce lead, which Salesforce freezes once converted. A rep may convert it
   * while a write is on its way (CANNOT_UPDATE_CONVERTED_LEAD): that refusal is the conversion arriving
   * before the watcher reports it, so the handoff takes the lead as converted, says in its timeline
   * which write the conversion superseded, and goes on; it never waits Blocked for a fix no one can make.
   */
  async writeLead(fields: Record<string, string | null>, what: string): Promise<void> {
    if (this.converted) {
      this.note(`${what} not written to Salesforce: the lead is converted`);
      return;
    }
    try {
      await this.salesforce.updateLead({ leadId: this.leadId(), fields });
    } catch (err) {
      if (!(err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === CRM_ERROR_TYPES.leadConverted)) throw err;
      this.converted = true;
      this.note(`${what} not written to Salesforce: the lead was converted while it was on its way`);
    }
  }

  /** The Salesforce lead's id, known from the first assignment on. */
  leadId(): string {
    if (!this.state.salesforceLeadId) throw ApplicationFailure.nonRetryable(`handoff ${this.workflowId} has no Salesforce lead yet`, 'NoSalesforceLead');
    return this.state.salesforceLeadId;
  }

  finish(outcome: HandoffOutcome): HandoffResult {
    const { state } = this;
    this.publishAttributes();
    state.outcome = outcome;
    state.marks.outcomeAt ??= workflowNow().toISOString();
    const { stage, ownerId, salesforceLeadId, rejectionReason, marks, delays, flags } = state;
    return { stage, outcome, ownerId, salesforceLeadId, rejectionReason, marks, delays, flags };
  }

  /**
   * Whatever else ends the handoff (a step out of retries, an alert channel refusing every message)
   * does so visibly: the timeline and the failure name the step, so no partial write goes unexplained.
   * A CRM refusal for good never gets here: it waits as Blocked (blocking.ts). The adapters' messages
   * carry operation and error code only, never personal data.
   */
  explainFailure(err: unknown): unknown {
    if (!(err instanceof ActivityFailure)) return err;
    const cause = err.cause instanceof ApplicationFailure ? `${err.cause.type ?? 'error'}: ${err.cause.message}` : (err.cause?.message ?? err.message);
    const detail = `${err.activityType} failed at stage ${this.state.stage}: ${cause}`;
    this.note(`handoff stopped: ${detail}`);
    this.state.flags.push('crm_write_failed');
    this.publishAttributes();
    return ApplicationFailure.nonRetryable(`handoff ${this.workflowId} stopped: ${detail}`, 'HandoffStepFailed');
  }
}

/** The activities, with the hot lane's reads (HOT_LANE_LOCAL_READS) taken from their local proxy. */
function readLocally<T extends object>(remote: T, local: T): T {
  return new Proxy(remote, {
    get: (target, name) => Reflect.get(typeof name === 'string' && HOT_LANE_LOCAL_READS.has(name) ? local : target, name),
  });
}

function derivedFrom(pinned: PinnedContract): Omit<LoadedPolicy, 'attempts'> {
  const { contract } = pinned;
  return {
    pinned,
    contract,
    machine: buildStateMachine(contract),
    taxonomy: new Map(contract.rejectionTaxonomy.map((r) => [r.code, r])),
    closedStatuses: new Set([contract.handoff.revert.salesforceStatus, statusFor(contract, 'Disqualified').salesforceStatus]),
  };
}

export function untilMs(at: Date): number {
  return Math.max(1, at.getTime() - workflowNow().getTime());
}

export function secondsBetween(fromIso: string, toIso: string): number {
  return Math.max(0, Math.round((Date.parse(toIso) - Date.parse(fromIso)) / 1000));
}
