/** Wording shared by the Markdown and HTML reports, so both say the same thing the same way. */
import { FUNNEL_STAGES, type CommitmentFigure, type DriftOutcome, type ReconcileReport } from '../../mappings/metrics';
import { CROSSING_ROUTE_NAMES } from '../../mappings/contract';

const SYSTEM_NAMES: Record<string, string> = { hubspot: 'HubSpot', salesforce: 'Salesforce', bridge: 'bridge stamp' };

export function systems(figure: Pick<CommitmentFigure, 'measuredIn'>): string {
  return figure.measuredIn.map((s) => SYSTEM_NAMES[s] ?? s).join(' + ');
}

export function metLabel(met: boolean | null): string {
  return met === null ? 'not measured' : met ? 'met' : 'missed';
}

/** Whether a figure crosses the integration, by which route and how late: every rendering says it so. */
export function crossing(figure: Pick<CommitmentFigure, 'crossesIntegration' | 'crossesVia' | 'lagMinutes'>): string {
  if (!figure.crossesIntegration) return 'no';
  const via = figure.crossesVia.map((route) => CROSSING_ROUTE_NAMES[route]).join(' and ');
  return `yes${via ? `, via ${via}` : ''} (lags up to ${figure.lagMinutes} min)`;
}

/** The funnel's stages, where each is recorded and how it crosses, as one sentence. */
export function funnelRecordedIn(lineage: ReconcileReport['sla']['funnelLineage']): string {
  return `Recorded in: ${FUNNEL_STAGES.map((s) => `${s} ${lineage[s].system}${lineage[s].crossesIntegration ? ` (crosses the integration: ${crossing(lineage[s])})` : ''}`).join('; ')}.`;
}

export function target(figure: Pick<CommitmentFigure, 'target' | 'kind'>): string {
  const units: Record<string, string> = { leads_per_month: 'a month', percent: '%', business_minutes: 'business min', minutes: 'min', hours: 'h', attempts: 'attempts' };
  const unit = units[figure.target.unit] ?? figure.target.unit;
  return figure.target.unit === 'percent' ? `${figure.target.value}%` : `${figure.target.value} ${unit}`;
}

export const OUTCOME_LABELS: Record<DriftOutcome, string> = {
  reported: 'reported',
  repaired: 'repaired',
  repair_failed: 'repair failed',
  not_repairable: 'report only',
};

export function minutes(value: number | null): string {
  if (value === null) return '—';
  if (value < 120) return `${value} min`;
  return `${Math.round((value / 60) * 10) / 10} h`;
}

export function change(then: number | null, now: number | null): string {
  if (then === null || now === null) return '—';
  const delta = Math.round((now - then) * 10) / 10;
  return delta === 0 ? '±0' : delta > 0 ? `+${delta}` : String(delta);
}

/** People read the first items; tools read drift.csv and report.json, which hold every item. */
export const ITEMS_SHOWN = 500;

export function itemsNote(total: number): string {
  return total > ITEMS_SHOWN ? `The first ${ITEMS_SHOWN} of ${total} items; drift.csv and report.json list them all.` : '';
}

/** Missed acceptance windows per rep, as every rendering lists them. */
export function missedByRep(counts: Record<string, number>): string {
  return Object.entries(counts).map(([rep, n]) => `${rep} ${n}`).join(', ') || 'none';
}
