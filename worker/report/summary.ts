/**
 * The SLA figures as the reconcile command prints them: rendered from the same ReconcileReport as
 * report.json, the CSV, the Markdown and the HTML, so every number (and the count of SIGNAL MISSING
 * notes) agrees with them. One line per figure, `name: value`, for people and for greps.
 */
import { FUNNEL_STAGES, type ReconcileReport } from '../../mappings/metrics';
import { missedByRep } from './format';

const shown = (value: number | null | undefined): string => (value === null || value === undefined ? 'SIGNAL MISSING' : String(value));

/** `no`, or the routes and lag as the CSV's crosses_via and lag_minutes columns hold them: `via=watcher lag=0.5`. */
function crossingTerms(l: { crossesIntegration: boolean; crossesVia: readonly string[]; lagMinutes: number }): string {
  return l.crossesIntegration ? `via=${l.crossesVia.join('+')} lag=${l.lagMinutes}` : 'no';
}

export function renderSummary(report: ReconcileReport): string {
  const { sla } = report;
  const lines = [`SLA ${sla.window.from} → ${sla.window.to}: ${sla.episodes} episodes`];
  for (const c of sla.commitments) {
    const detail = Object.entries(c.detail)
      .map(([k, v]) => `${k}=${shown(v)}`)
      .join(' ');
    lines.push(`${c.commitmentId}: ${shown(c.value)} (${c.met === null ? 'not measured' : c.met ? 'met' : 'missed'}; population ${c.population}${detail ? `; ${detail}` : ''}; crosses ${crossingTerms(c)})`);
  }
  for (const row of sla.funnel) lines.push(`funnel ${row.source}: ${FUNNEL_STAGES.map((s) => `${s} ${shown(row.counts[s])}`).join(', ')}`);
  lines.push(`funnel crossing: ${FUNNEL_STAGES.map((s) => `${s} ${crossingTerms(sla.funnelLineage[s])}`).join(', ')}`);
  const rejected = sla.rejections.filter((r) => r.count > 0);
  lines.push(`rejections: ${rejected.map((r) => `${r.code} ${r.count}`).join(', ') || 'none'}`);
  lines.push(
    `delays: system median ${shown(sla.delays.systemMedianMinutes)} min over ${sla.delays.systemMeasured}; rep median ${shown(sla.delays.repMedianMinutes)} business min over ${sla.delays.repMeasured}; missed windows ${missedByRep(sla.delays.missedWindowsByRep)}`,
  );
  lines.push(`data quality findings: ${sla.dataQuality.length}`);
  lines.push(`signals missing: ${sla.signalsMissing.length}`);
  return lines.join('\n');
}
