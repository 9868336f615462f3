/**
 * The report as Markdown, for people reading it in a repository, a ticket or a chat: the SLA
 * dashboard, the monthly review pack, the quarterly comparison and the drift found and repaired.
 * Records appear by id only (no names, no emails).
 */
import { DRIFT_CLASSES, DRIFT_CLASS_INFO, ATTAINMENT_BAR_PERCENT, FUNNEL_STAGES, type ReconcileReport, WHAT_IF_HINT } from '../../mappings/metrics';
import { mdCell } from './escape';
import { handoffHealthMarkdown } from './handoff-health';
import { change, crossing, funnelRecordedIn, ITEMS_SHOWN, itemsNote, metLabel, minutes, missedByRep, OUTCOME_LABELS, systems, target } from './format';

function table(header: string[], rows: Array<Array<string | number | null>>): string[] {
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(mdCell).join(' | ')} |`)];
}

export function renderMarkdown(report: ReconcileReport): string {
  const { sla, drift } = report;
  const lines: string[] = [
    `# Handoff SLA report — portal ${report.portalId}`,
    '',
    `Run ${report.runId}, generated ${report.generatedAt}. Contract: ${report.contract.name} (v${report.contract.version}). Window: ${sla.window.from} → ${sla.window.to}.`,
    `Snapshot: ${report.snapshot.contacts} HubSpot contacts, ${report.snapshot.leads} Salesforce leads, ${report.snapshot.apiCalls.hubspot} HubSpot and ${report.snapshot.apiCalls.salesforce} Salesforce API calls (batch reads only).`,
    '',
    '## SLA dashboard',
    '',
    ...table(
      ['Commitment', 'Team', 'Figure', 'Target', 'Status', 'Measured in', 'Crosses integration', 'Notes'],
      sla.commitments.map((c) => [c.title, c.team, c.display, target(c), metLabel(c.met), systems(c), crossing(c), c.lineageNote ?? '']),
    ),
    '',
    `Duration commitments count as met when ${ATTAINMENT_BAR_PERCENT}% of leads meet them (the contract sets no attainment bar).`,
    '',
    '### Delay: system vs rep',
    '',
    `- System delay (MQL → first assignment → alert delivered: connector, bridge, routing, notifier): median ${minutes(sla.delays.systemMedianMinutes)} over ${sla.delays.systemMeasured} handoffs.`,
    `- Rep delay (alert delivered → acceptance or rejection, business minutes): median ${minutes(sla.delays.repMedianMinutes)} over ${sla.delays.repMeasured} handoffs.`,
    `- Missed acceptance windows (the rep's, never the system's): ${missedByRep(sla.delays.missedWindowsByRep)}.`,
    `- Episodes measured: ${sla.episodes}; data-quality findings: ${sla.dataQuality.length}${sla.dataQuality.length ? ` (${sla.dataQuality.map((d) => `contact ${d.contactId}: ${d.kind}`).join('; ')})` : ''}.`,
    '',
    '### Funnel by lead source',
    '',
    ...table(['Lead source', ...FUNNEL_STAGES], sla.funnel.map((r) => [r.source, ...FUNNEL_STAGES.map((s) => r.counts[s] ?? 'SIGNAL MISSING')])),
    '',
    funnelRecordedIn(sla.funnelLineage),
    '',
    '### Speed-to-lead distribution',
    '',
    ...(sla.speedToLead ? table([`Bucket (${sla.speedToLead.unit})`, 'Leads'], sla.speedToLead.buckets.map((b) => [b.label, b.count])) : ['SIGNAL MISSING: the contract has no duration speed_to_lead commitment']),
    '',
    '### Rejected leads by reason',
    '',
    ...table(['Code', 'Reason', 'Recyclable', 'Leads'], sla.rejections.map((r) => [r.code, r.label, r.recyclable === null ? '—' : r.recyclable ? 'yes' : 'no', r.count])),
    '',
  ];
  if (sla.signalsMissing.length) lines.push('### Signals missing', '', ...sla.signalsMissing.map((s) => `- ${s}`), '');

  lines.push(
    `## Monthly review pack — ${sla.review.month}`,
    '',
    `${sla.review.durationMinutes} minutes, chaired by ${sla.review.chair}. Fixed agenda, not a free-form grievance session:`,
    '',
    ...sla.review.agenda.map((a, i) => `${i + 1}. ${a.title}${a.item === 'improvement_action' ? `: ${sla.review.improvementAction}` : a.item === 'commitment_attainment' ? ` (${sla.commitments.filter((c) => c.met).length} of ${sla.commitments.filter((c) => c.met !== null).length} measured commitments met)` : ''}`),
    '',
    `Recalibration trigger: ${sla.review.trigger.message}.`,
    '',
  );

  if (sla.quarterly) {
    const q = sla.quarterly;
    lines.push(
      `## Quarterly comparison with the report of ${q.earlierGeneratedAt}`,
      '',
      ...table(['Commitment', 'Then', 'Now', 'Change', 'Then met', 'Now met'], q.commitments.map((c) => [c.title, c.then.value, c.now.value, change(c.then.value, c.now.value), metLabel(c.then.met), metLabel(c.now.met)])),
      '',
      `- Speed-to-lead median: ${q.speedToLead.then.median ?? '—'} → ${q.speedToLead.now.median ?? '—'}; attainment ${q.speedToLead.then.attainment ?? '—'}% → ${q.speedToLead.now.attainment ?? '—'}%.`,
      `- Acceptance rate: ${q.acceptance.then ?? '—'}% → ${q.acceptance.now ?? '—'}%.`,
      `- Dominant rejection reasons: then ${q.dominantReasons.then.join(', ') || 'none'}; now ${q.dominantReasons.now.join(', ') || 'none'}.`,
      `- Definitions to recalibrate: ${q.recalibrate.join('; ') || 'none'}.`,
      `- Before signing a recalibration: \`${WHAT_IF_HINT.command}\` ${WHAT_IF_HINT.sentence} (${WHAT_IF_HINT.docs}).`,
      '',
    );
  } else {
    lines.push('## Quarterly comparison', '', 'SIGNAL MISSING: no saved report at least 80 days old to compare with (pass --compare <report.json>).', '', `Before signing a recalibration: \`${WHAT_IF_HINT.command}\` ${WHAT_IF_HINT.sentence} (${WHAT_IF_HINT.docs}).`, '');
  }

  if (report.handoffs) lines.push(...handoffHealthMarkdown(report.handoffs, table));

  lines.push(
    '## Drift between HubSpot and Salesforce',
    '',
    `${drift.items.length} items (${drift.newCount} new since ${drift.previousRunId ?? 'no earlier run'}), ${drift.repaired} repaired, ${drift.repairFailed} repairs failed.`,
    '',
    ...table(['Class', 'Items', 'Policy'], DRIFT_CLASSES.map((c) => [DRIFT_CLASS_INFO[c].label, drift.counts[c], drift.policy[c] ?? 'report'])),
    '',
    ...table(
      ['Class', 'Contact', 'Salesforce leads', 'What', 'Why', 'New', 'Outcome'],
      drift.items.slice(0, ITEMS_SHOWN).map((i) => [DRIFT_CLASS_INFO[i.class].label, i.contactId ?? '—', i.leadIds?.join(', ') ?? '—', i.detail, i.outcomeDetail ?? '', i.isNew ? 'new' : 'seen', OUTCOME_LABELS[i.outcome]]),
    ),
    '',
    itemsNote(drift.items.length),
  );
  return lines.join('\n');
}
