/**
 * What-if, step three: the figures side by side — what happened (the recorded episodes under the
 * contract in force) and what the proposal would have produced (the replayed ones). Acceptance rate
 * and speed-to-lead come from the dashboard's own figure code (sla-figures.ts) over the facts each
 * side stamps, so both columns mean exactly what the report means. Pure.
 */
import { commitmentLineage } from '../contract';
import { episodeFacts } from '../metrics';
import type { LeadFacts } from '../metrics';
import type { ContactHistory } from '../metrics';
import type { Props } from '../contract';
import type { Contract } from '../contract';
import { commitmentFigure, inWindow, percent, type ReportWindow } from '../metrics';
import { propertiesAt, recordedEpisodes, type RecordedEpisode } from './whatif-recorded';
import { MISSING_SIGNALS, replayedFact, replayEpisodes, type MissingKind, type ReplayedEpisode } from './whatif-replay';

export interface WhatIfColumn {
  /** Episodes whose MQL date is in the window (and, for the proposal, that meet its MQL definition). */
  mqlVolume: number;
  acceptanceRate: number | null;
  accepted: number;
  decided: number;
  speedToLeadAttainment: number | null;
  speedToLeadMedian: number | null;
  /** Leads measured for speed-to-lead (met + missed; pending ones are neither). */
  speedToLeadMeasured: number;
  speedToLeadTarget: string;
  /** `business min` or `min`: the speed-to-lead commitment's clock. */
  speedToLeadUnit: string;
  /** Window attainment: of the handovers decided (accepted, rejected, or every window missed), the share decided in the first rep's window. */
  firstWindowRate: number | null;
  firstWindow: number;
  windowDecided: number;
  /** Windows that ran out and moved the lead to another rep. */
  reassignments: number;
  /** Episodes reverted to nurture because every window ran out. */
  reverts: number;
  rejections: number;
  /** Acceptance windows held per rep (a reassigned lead counts for each rep who held it). */
  load: Record<string, number>;
  missedWindowsByRep: Record<string, number>;
  /** Episodes whose outcome the record cannot tell under this column's contract. */
  unknown: number;
}

export interface WhatIfResult {
  window: ReportWindow;
  episodes: number;
  actual: WhatIfColumn;
  proposed: WhatIfColumn;
  /** Episodes the proposal's MQL definition would not have let through. */
  notMql: number;
  /** Decisions the proposal credits to a rep other than the one who made them (the lead-clock assumption). */
  reattributed: number;
  signalsMissing: string[];
  /** Rep ids to names, from both contracts (ids the contracts do not list stay ids). */
  repNames: Record<string, string>;
  /** Each episode's replay, for --json and for anyone checking a figure by hand. */
  replayed: Array<{ contactId: string; episode: string; actual: { holders: string[]; decision: string }; proposed: { qualified: boolean; holders: string[]; decision: string; reattributed: boolean; signalMissing?: string } }>;
}

/** How one episode was handled, recorded or replayed: what the load and reassignment counts read. */
type Handled = Pick<ReplayedEpisode, 'holders' | 'missedBy' | 'decision'>;

function speed(contract: Contract, facts: LeadFacts[], window: ReportWindow, now: string) {
  const commitment = contract.commitments.find((c) => c.id === 'speed_to_lead');
  if (commitment?.measure.kind !== 'duration') return { attainment: null, median: null, measured: 0, target: 'no speed_to_lead duration commitment', unit: 'min' };
  const f = commitmentFigure({ contract, lineage: commitmentLineage(contract), facts, window, now, commitment });
  return { attainment: f.detail.attainment ?? null, median: f.detail.median ?? null, measured: f.detail.measured ?? 0, target: `${commitment.target.value} ${commitment.target.unit.replace(/_/g, ' ')}`, unit: commitment.measure.clock === 'business' ? 'business min' : 'min' };
}

function acceptance(contract: Contract, facts: LeadFacts[], window: ReportWindow, now: string) {
  const commitment = contract.commitments.find((c) => c.id === 'acceptance_rate');
  if (!commitment) return { rate: null, accepted: 0, decided: 0 };
  const f = commitmentFigure({ contract, lineage: commitmentLineage(contract), facts, window, now, commitment });
  return { rate: f.value, accepted: f.detail.accepted ?? 0, decided: f.detail.decided ?? 0 };
}

function column(contract: Contract, facts: LeadFacts[], handled: Handled[], mqlVolume: number, window: ReportWindow, now: string): WhatIfColumn {
  const load: Record<string, number> = {};
  const missedWindowsByRep: Record<string, number> = {};
  let reassignments = 0;
  for (const h of handled) {
    for (const rep of h.holders) load[rep] = (load[rep] ?? 0) + 1;
    for (const rep of h.missedBy) missedWindowsByRep[rep] = (missedWindowsByRep[rep] ?? 0) + 1;
    reassignments += Math.max(0, h.holders.length - 1);
  }
  const s = speed(contract, facts, window, now);
  const a = acceptance(contract, facts, window, now);
  const windowDecided = handled.filter((h) => h.decision === 'accepted' || h.decision === 'rejected' || h.decision === 'reverted');
  const firstWindow = windowDecided.filter((h) => h.decision !== 'reverted' && h.holders.length === 1).length;
  return {
    mqlVolume,
    acceptanceRate: a.rate,
    accepted: a.accepted,
    decided: a.decided,
    speedToLeadAttainment: s.attainment,
    speedToLeadMedian: s.median,
    speedToLeadMeasured: s.measured,
    speedToLeadTarget: s.target,
    speedToLeadUnit: s.unit,
    firstWindowRate: percent(firstWindow, windowDecided.length),
    firstWindow,
    windowDecided: windowDecided.length,
    reassignments,
    reverts: handled.filter((h) => h.decision === 'reverted').length,
    rejections: handled.filter((h) => h.decision === 'rejected').length,
    load,
    missedWindowsByRep,
    unknown: handled.filter((h) => h.decision === 'unknown').length,
  };
}

function recordedHandling(rec: RecordedEpisode): Handled {
  const d = rec.decision;
  const decision = d.kind === 'none' ? 'undecided' : d.kind;
  return { holders: rec.assignedAt === undefined ? [] : rec.holders, missedBy: rec.fact.episode?.missedBy ?? [], decision };
}

const key = (rec: RecordedEpisode) => `${rec.fact.contactId}|${rec.fact.episode?.episode ?? ''}`;

/**
 * The what-if over raw facts (one per contact, as the reconciliation joins them) and the contacts'
 * property histories: `actual` is the contract in force, `proposed` the one to try.
 */
export function whatIf(input: { actual: Contract; proposed: Contract; facts: LeadFacts[]; histories: ContactHistory[]; historyRead: string[]; window: ReportWindow; now: string }): WhatIfResult {
  const now = Date.parse(input.now);
  const { window } = input;
  const actualFacts = episodeFacts(input.actual, input.facts).facts;
  // Under the proposal's own definitions: its counted channels pick the attempts, its SAL definition the acceptances.
  const proposedBase = new Map(episodeFacts(input.proposed, input.facts).facts.map((f) => [`${f.contactId}|${f.episode?.episode ?? ''}`, f]));
  const all = recordedEpisodes(actualFacts, now);
  const inScope = (rec: RecordedEpisode) => inWindow(rec.mqlAt, window) || inWindow(rec.assignedAt, window);
  const episodes = all.filter(inScope);

  const histories = new Map(input.histories.map((h) => [h.contactId, h.properties]));
  const propsAtMql = (rec: RecordedEpisode): Props | undefined => {
    if (!input.historyRead.length) return undefined;
    return propertiesAt(histories.get(rec.fact.contactId) ?? {}, rec.mqlAt);
  };
  const replayed = replayEpisodes({ actual: input.actual, proposed: input.proposed, episodes, propsAtMql, now });

  const signalsMissing = new Set<string>();
  if (!episodes.length) signalsMissing.add(`SIGNAL MISSING: no episode was handed over between ${window.from} and ${window.to}: nothing recorded to replay (check the period, and that the bridge ran with this portal)`);
  const mqlChanged = JSON.stringify(input.actual.definitions.mql) !== JSON.stringify(input.proposed.definitions.mql);
  if (mqlChanged) signalsMissing.add('MQL volume: SIGNAL MISSING for contacts the proposal would add: only episodes handed over under the contract in force were recorded, so contacts that never met its MQL definition are not replayed (the figure counts only the recorded MQLs the proposal keeps)');
  if (JSON.stringify(input.actual.dataCompleteness) !== JSON.stringify(input.proposed.dataCompleteness)) {
    signalsMissing.add('data completeness: SIGNAL MISSING: a lead returned to marketing as incomplete waits for a person to complete it, and when that would have happened was never recorded; the proposal\'s required properties are not replayed');
  }
  for (const kind of Object.keys(MISSING_SIGNALS) as MissingKind[]) {
    const count = replayed.filter((r) => r.missingKind === kind).length;
    if (count) signalsMissing.add(`${count} episode(s): SIGNAL MISSING: ${MISSING_SIGNALS[kind]}`);
  }

  const kept = replayed.filter((r) => r.qualified);
  const proposedFacts = kept.map((r) => replayedFact(proposedBase.get(key(r.recorded)) ?? r.recorded.fact, r));
  const mqlIn = (rec: RecordedEpisode) => inWindow(rec.mqlAt, window);
  const assignedIn = (rec: RecordedEpisode) => inWindow(rec.assignedAt, window);

  return {
    window,
    episodes: episodes.length,
    actual: column(input.actual, actualFacts, episodes.filter(assignedIn).map(recordedHandling), episodes.filter(mqlIn).length, window, input.now),
    proposed: column(input.proposed, proposedFacts, kept.filter((r) => assignedIn(r.recorded)), kept.filter((r) => mqlIn(r.recorded)).length, window, input.now),
    notMql: replayed.filter((r) => !r.qualified).length,
    reattributed: kept.filter((r) => r.reattributed).length,
    signalsMissing: [...signalsMissing],
    repNames: Object.fromEntries([...input.actual.routing.reps, ...input.proposed.routing.reps].filter((r) => r.id).map((r) => [r.id, r.name])),
    replayed: replayed.map((r) => ({
      contactId: r.recorded.fact.contactId,
      episode: r.recorded.fact.episode?.episode ?? '',
      actual: { holders: recordedHandling(r.recorded).holders, decision: recordedHandling(r.recorded).decision },
      proposed: { qualified: r.qualified, holders: r.holders, decision: r.decision, reattributed: r.reattributed, ...(r.signalMissing ? { signalMissing: r.signalMissing } : {}) },
    })),
  };
}
