/** Wording shared by the Markdown and HTML reports, so both say the same thing the same way. */
import type { CommitmentFigure, DriftOutcome } from '../../mappings/metrics';

const SYSTEM_NAMES: Record<string, string> = { hubspot: 'HubSpot', salesforce: 'Salesforce', bridge: 'bridge stamp' };

export function systems(figure: Pick<CommitmentFigure, 'measuredIn'>): string {
  return figure.measuredIn.map((s) => SYSTEM_NAMES[s] ?? s).join(' + ');
}

export function metLabel(met: boolean | null): string {
  return met === null ? 'not measured' : met ? 'met' : 'missed';
}

export function crossing(figure: Pick<CommitmentFigure, 'crossesIntegration' | 'lagMinutes'>): string {
  return figure.crossesIntegration ? `yes (lags up to ${figure.lagMinutes} min)` : 'no';
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
