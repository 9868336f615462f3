/** The report for tools: drift items and commitment figures as CSV (RFC 4180, formula-safe). */
import { DRIFT_CLASS_INFO, type ReconcileReport } from '../../mappings/metrics';
import { csvRow } from './escape';

export function renderDriftCsv(report: ReconcileReport): string {
  const header = ['run_id', 'key', 'class', 'class_label', 'contact_id', 'salesforce_lead_ids', 'reason', 'detail', 'is_new', 'policy', 'outcome', 'outcome_detail'];
  const rows = report.drift.items.map((i) =>
    csvRow([report.runId, i.key, i.class, DRIFT_CLASS_INFO[i.class].label, i.contactId, i.leadIds?.join(' '), i.reason, i.detail, i.isNew, i.policy, i.outcome, i.outcomeDetail]),
  );
  return [csvRow(header), ...rows].join('\r\n') + '\r\n';
}

export function renderCommitmentsCsv(report: ReconcileReport): string {
  const header = ['run_id', 'window_from', 'window_to', 'commitment_id', 'team', 'owner', 'value', 'target', 'unit', 'met', 'population', 'measured_in', 'crosses_integration', 'crosses_via', 'lag_minutes', 'signal_missing', 'lineage_note', 'display', 'detail'];
  const { window } = report.sla;
  const rows = report.sla.commitments.map((c) =>
    csvRow([report.runId, window.from, window.to, c.commitmentId, c.team, c.owner, c.value, c.target.value, c.target.unit, c.met, c.population, c.measuredIn.join(' '), c.crossesIntegration, c.crossesVia.join(' '), c.lagMinutes, c.signalMissing, c.lineageNote, c.display, Object.entries(c.detail).map(([k, v]) => `${k}=${v ?? ''}`).join(' ')]),
  );
  return [csvRow(header), ...rows].join('\r\n') + '\r\n';
}
