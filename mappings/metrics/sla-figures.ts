/**
 * The SLA dashboard's commitment figures, computed from the contract's own measures over joined lead
 * facts: each figure says which systems recorded its events, whether it crosses the integration
 * (lineage) and, when the data cannot answer, `SIGNAL MISSING: …` instead of a number. Pure.
 */
import { businessMinutesBetween, workingDaysWindowEnd } from '../calendar';
import { HUBSPOT_PROPERTIES as HS } from '../crm';
import { type CommitmentLineage, type CrossingRoute, missingRequired, type Commitment, type Contract, type EventRef } from '../contract';
import { eventAt, eventValue, fieldWasRead, type LeadFacts } from './metrics-facts';

export interface ReportWindow {
  from: string;
  to: string;
}

export interface CommitmentFigure {
  commitmentId: string;
  team: Commitment['team'];
  title: string;
  owner: string;
  target: Commitment['target'];
  kind: Commitment['measure']['kind'];
  /** In the target's unit (percent, minutes, attempts, leads per month); null when not measurable. */
  value: number | null;
  display: string;
  met: boolean | null;
  /** Leads the figure is computed over. */
  population: number;
  measuredIn: string[];
  crossesIntegration: boolean;
  /** How its Salesforce events reach HubSpot: the connector, the bridge's watcher (from the lineage). */
  crossesVia: CrossingRoute[];
  lagMinutes: number;
  /** What the HubSpot dashboard cannot see for this commitment (from the lineage). */
  lineageNote?: string;
  signalMissing?: string;
  /** Extra figures: median and attainment for durations, follow-up rate for attempts. */
  detail: Record<string, number | null>;
}

/** The contract sets no bar for attainment: a duration commitment counts as met when 90% of leads meet it. */
export const ATTAINMENT_BAR_PERCENT = 90;
const DAY_MS = 86_400_000;
const MONTH_DAYS = 30.4375;

export function median(values: number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? null) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export function percentile(values: number[], p: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? null;
}

export function percent(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 1000) / 10;
}

function round(value: number | null, digits = 1): number | null {
  return value === null ? null : Math.round(value * 10 ** digits) / 10 ** digits;
}

function describeRef(ref: EventRef): string {
  return `${ref.system}:${ref.field}`;
}

export function inWindow(at: number | undefined, window: ReportWindow): at is number {
  return at !== undefined && at >= Date.parse(window.from) && at < Date.parse(window.to);
}

/** Minutes from `a` to `b` on the commitment's clock. */
export function elapsedMinutes(contract: Contract, clock: 'business' | 'calendar', a: number, b: number): number {
  return clock === 'business' ? businessMinutesBetween(new Date(a), new Date(b), contract.calendar) : (b - a) / 60_000;
}

function targetMinutes(target: Commitment['target']): number {
  return target.unit === 'hours' ? target.value * 60 : target.value;
}

interface Computed {
  value: number | null;
  display: string;
  met: boolean | null;
  population: number;
  detail: Record<string, number | null>;
  missing?: string;
}

function computeCount(c: Commitment, starts: LeadFacts[], window: ReportWindow): Computed {
  const days = (Date.parse(window.to) - Date.parse(window.from)) / DAY_MS;
  const perMonth = round((starts.length / days) * MONTH_DAYS, 0);
  return { value: perMonth, display: `${perMonth ?? 0} a month (${starts.length} in ${Math.round(days)} days)`, met: (perMonth ?? 0) >= c.target.value, population: starts.length, detail: { inWindow: starts.length } };
}

function share(c: Commitment, starts: LeadFacts[], hit: (f: LeadFacts) => boolean, what: string): Computed {
  const hits = starts.filter(hit).length;
  const value = percent(hits, starts.length);
  return { value, display: value === null ? '—' : `${value}% (${hits}/${starts.length} ${what})`, met: value === null ? null : value >= c.target.value, population: starts.length, detail: { hits } };
}

function computeDuration(contract: Contract, c: Commitment & { measure: { kind: 'duration' } }, starts: LeadFacts[], now: number): Computed {
  const m = c.measure;
  const limit = targetMinutes(c.target);
  const done: number[] = [];
  let within = 0;
  let missed = 0;
  for (const fact of starts) {
    const start = eventAt(fact, m.start) ?? 0;
    const stop = eventAt(fact, m.stop);
    if (stop !== undefined) {
      const minutes = Math.max(0, elapsedMinutes(contract, m.clock, start, stop));
      done.push(minutes);
      if (minutes <= limit) within++;
      else missed++;
    } else if (elapsedMinutes(contract, m.clock, start, now) > limit) missed++;
  }
  const med = round(median(done));
  const p90 = round(percentile(done, 90));
  const attainment = percent(within, within + missed);
  const unit = m.clock === 'business' ? 'business min' : 'min';
  const detail = { median: med, p90, attainment, measured: within + missed, met: within, missed, withAttempt: done.length, pending: starts.length - within - missed };
  if (m.statistic === 'attainment') {
    return {
      value: attainment,
      display: attainment === null ? '—' : `${attainment}% within ${c.target.value} ${unit} (median ${med ?? '—'} ${unit})`,
      met: attainment === null ? null : attainment >= ATTAINMENT_BAR_PERCENT,
      population: within + missed,
      detail,
    };
  }
  const value = m.statistic === 'median' ? med : p90;
  return { value, display: value === null ? '—' : `${m.statistic} ${value} ${unit} (${attainment ?? '—'}% within target)`, met: value === null ? null : value <= limit, population: done.length, detail };
}

/**
 * Follow-up: of accepted leads whose attempt window has closed (the same clock time on the N-th
 * working day after acceptance), the share with at least the target's attempts spanning every
 * required channel. Only Tasks of counted channels count; open windows are pending.
 */
function computeAttempts(contract: Contract, c: Commitment, starts: LeadFacts[], start: EventRef, now: number): Computed {
  const required = contract.contactAttempts;
  const countedChannels = new Set<string>(required.channels);
  const counts: number[] = [];
  let followed = 0;
  let pending = 0;
  for (const fact of starts) {
    const from = eventAt(fact, start) ?? 0;
    const until = workingDaysWindowEnd(new Date(from), required.windowBusinessDays, contract.calendar).getTime();
    if (until > now) {
      pending++;
      continue;
    }
    const inside = (fact.attempts ?? []).filter((a) => {
      const t = Date.parse(a.createdAt);
      return countedChannels.has(a.channel) && t >= from && t <= until;
    });
    counts.push(inside.length);
    const channels = new Set(inside.map((a) => a.channel));
    if (inside.length >= c.target.value && required.channels.every((ch) => channels.has(ch))) followed++;
  }
  const med = median(counts);
  const rate = percent(followed, counts.length);
  return {
    value: med,
    display: med === null ? '—' : `follow-up rate ${rate ?? '—'}% (${followed}/${counts.length} closed windows reached ${c.target.value} attempts across ${required.channels.join(', ')} in ${required.windowBusinessDays} business days; ${pending} pending; median ${med})`,
    met: rate === null ? null : rate >= ATTAINMENT_BAR_PERCENT,
    population: counts.length,
    detail: { followUpRate: rate, followed, closed: counts.length, pending, median: med },
  };
}

/**
 * Acceptance: accepted / decided handovers, decided meaning accepted, rejected or window missed.
 * Acceptance itself was validated per episode (metrics-episodes.ts): one dated before the episode's
 * assignment is a data-quality finding and does not count here.
 */
function computeAcceptance(c: Commitment, starts: LeadFacts[]): Computed {
  let accepted = 0;
  let decided = 0;
  for (const fact of starts) {
    const isAccepted = fact.hubspot[HS.handoffAcceptedAt] != null;
    const reason = fact.episode?.rejectionReason ?? fact.hubspot[HS.handoffRejectionReason];
    const missed = (fact.episode?.missedBy?.length ?? 0) > 0 || fact.hubspot[HS.handoffOutcome] === 'REVERTED_SLA_MISSED';
    if (isAccepted) accepted++;
    if (isAccepted || reason || missed) decided++;
  }
  const value = percent(accepted, decided);
  return {
    value,
    display: value === null ? '—' : `${value}% (${accepted}/${decided} decided handovers accepted; ${starts.length - decided} undecided)`,
    met: value === null ? null : value >= c.target.value,
    population: decided,
    detail: { accepted, decided, undecided: starts.length - decided },
  };
}

/** Completeness on the values at handover: the blanks the bridge captured at the first assignment. */
function completeAtHandover(contract: Contract, fact: LeadFacts): boolean {
  const captured = fact.episode?.missingAtHandover;
  return captured ? captured.length === 0 : missingRequired(contract.dataCompleteness.requiredProperties, fact.hubspot).length === 0;
}

function compute(contract: Contract, c: Commitment, facts: LeadFacts[], window: ReportWindow, now: number): Computed {
  const m = c.measure;
  const starts = facts.filter((f) => inWindow(eventAt(f, m.start), window));
  switch (m.kind) {
    case 'count':
      return computeCount(c, starts, window);
    case 'ratio':
      if (m.stop.field === HS.handoffAcceptedAt) return computeAcceptance(c, starts);
      return share(c, starts, (f) => eventValue(f, m.stop) !== null, `reached ${describeRef(m.stop)}`);
    case 'presence':
      return share(c, starts, (f) => eventValue(f, m.stop) !== null, `with ${describeRef(m.stop)}`);
    case 'completeness':
      return share(c, starts, (f) => completeAtHandover(contract, f), 'complete at handover');
    case 'duration':
      return computeDuration(contract, { ...c, measure: m }, starts, now);
    case 'attempts':
      return computeAttempts(contract, c, starts, m.start, now);
  }
}

function missingSignal(c: Commitment, facts: LeadFacts[], population: number): string | undefined {
  const m = c.measure;
  const refs = [m.start, ...('stop' in m ? [m.stop] : [])];
  if (population === 0) return `SIGNAL MISSING: no lead has ${describeRef(m.start)} in the report window: check the stamp is written, or widen the window`;
  const unread = refs.filter((ref) => !fieldWasRead(facts, ref));
  if (unread.length) return `SIGNAL MISSING: ${unread.map(describeRef).join(', ')} could not be read from the CRM: check it in a ${unread[0]?.system === 'salesforce' ? 'Salesforce' : 'HubSpot'} report`;
  return undefined;
}

export function commitmentFigure(input: { contract: Contract; lineage: CommitmentLineage[]; facts: LeadFacts[]; window: ReportWindow; now: string; commitment: Commitment }): CommitmentFigure {
  const { contract, commitment: c } = input;
  const lineage = input.lineage.find((l) => l.commitmentId === c.id);
  const computed = compute(contract, c, input.facts, input.window, Date.parse(input.now));
  const missing = missingSignal(c, input.facts, computed.population);
  const m = c.measure;
  const figure: CommitmentFigure = {
    commitmentId: c.id,
    team: c.team,
    title: c.title,
    owner: c.owner,
    target: c.target,
    kind: m.kind,
    value: missing ? null : computed.value,
    display: missing ?? computed.display,
    met: missing ? null : computed.met,
    population: computed.population,
    measuredIn: [...new Set([m.start.system, ...('stop' in m ? [m.stop.system] : [])])],
    crossesIntegration: lineage?.crossesIntegration ?? false,
    crossesVia: lineage?.crossesVia ?? [],
    lagMinutes: lineage?.lagMinutes ?? 0,
    detail: computed.detail,
  };
  if (lineage?.signalMissing) figure.lineageNote = lineage.signalMissing;
  if (missing) figure.signalMissing = missing;
  return figure;
}

export function commitmentFigures(input: { contract: Contract; lineage: CommitmentLineage[]; facts: LeadFacts[]; window: ReportWindow; now: string }): CommitmentFigure[] {
  return input.contract.commitments.map((commitment) => commitmentFigure({ ...input, commitment }));
}
