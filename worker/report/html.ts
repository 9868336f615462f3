/**
 * The report as one self-contained HTML page (the dashboard serves it): inline CSS and inline SVG
 * charts, no script and nothing fetched, so it opens the same from a file, an email or /dashboard.
 * Figures carry data-* attributes so tools and tests read them without scraping prose.
 */
import { DRIFT_CLASSES, DRIFT_CLASS_INFO, ATTAINMENT_BAR_PERCENT, FUNNEL_STAGES, type ReconcileReport, WHAT_IF_HINT } from '../../mappings/metrics';
import { html } from './escape';
import { handoffHealthHtml } from './handoff-health';
import { change, crossing, funnelRecordedIn, ITEMS_SHOWN, itemsNote, metLabel, minutes, missedByRep, OUTCOME_LABELS, systems, target } from './format';
import { barChart, funnelChart, histogramChart } from './svg-charts';

const STYLE = `
:root { color-scheme: light dark; --ink:#1d2733; --muted:#5b6776; --line:#d8dee6; --bar:#3b6fb6; --ok:#1e7a46; --bad:#b3261e; --warn:#8a5a00; }
body { font: 14px/1.45 system-ui, sans-serif; color: var(--ink); margin: 0 auto; max-width: 1100px; padding: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 32px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; } h3 { font-size: 15px; margin: 20px 0 6px; }
.muted { color: var(--muted); } table { border-collapse: collapse; width: 100%; margin: 8px 0; } th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; } td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; } .card { border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; min-width: 150px; }
.card .big { font-size: 22px; font-weight: 600; } .met { color: var(--ok); font-weight: 600; } .missed { color: var(--bad); font-weight: 600; } .signal { color: var(--warn); }
svg .bar { fill: var(--bar); } svg .stage-1 { opacity: .9 } svg .stage-2 { opacity: .8 } svg .stage-3 { opacity: .7 } svg .stage-4 { opacity: .6 } svg .beyond { fill: var(--bad); } svg .within { fill: var(--ok); } svg text { fill: currentColor; }
`;

function statusCell(met: boolean | null): string {
  return `<span class="${met === null ? 'signal' : met ? 'met' : 'missed'}">${metLabel(met)}</span>`;
}

function row(cells: string[]): string {
  return `<tr>${cells.join('')}</tr>`;
}

function td(value: string | number | null | undefined, numeric = false): string {
  return `<td${numeric ? ' class="num"' : ''}>${html(value ?? '—')}</td>`;
}

function commitmentsTable(report: ReconcileReport): string {
  const rows = report.sla.commitments.map(
    (c) =>
      `<tr data-commitment="${html(c.commitmentId)}" data-value="${html(c.value ?? '')}" data-met="${html(String(c.met))}">${td(c.title)}${td(c.team)}<td class="figure">${html(c.display)}</td>${td(target(c))}<td>${statusCell(c.met)}</td>${td(systems(c))}${td(crossing(c))}${td(c.lineageNote ?? '')}</tr>`,
  );
  return `<table id="commitments"><thead>${row(['Commitment', 'Team', 'Figure', 'Target', 'Status', 'Measured in', 'Crosses integration', 'What the HubSpot dashboard cannot see'].map((h) => `<th>${h}</th>`))}</thead><tbody>${rows.join('')}</tbody></table>
<p class="muted">Duration commitments count as met when ${ATTAINMENT_BAR_PERCENT}% of leads meet them (the contract sets no attainment bar).</p>`;
}

function slaSection(report: ReconcileReport): string {
  const { sla } = report;
  const speed = report.sla.commitments.find((c) => c.commitmentId === 'speed_to_lead');
  const speedTarget = speed && speed.target.unit !== 'hours' ? speed.target.value : null;
  const funnelRows = sla.funnel
    .map((r) => `<tr data-source="${html(r.source)}">${td(r.source)}${FUNNEL_STAGES.map((s) => `<td class="num" data-stage="${s}">${r.counts[s] ?? 'SIGNAL MISSING'}</td>`).join('')}</tr>`)
    .join('');
  return `<h2>SLA dashboard</h2>
${commitmentsTable(report)}
<h3>Delay: system vs rep</h3>
<div class="cards">
<div class="card" id="system-delay" data-minutes="${html(sla.delays.systemMedianMinutes ?? '')}"><div class="muted">System delay (MQL → alert delivered)</div><div class="big">${html(minutes(sla.delays.systemMedianMinutes))}</div><div class="muted">median of ${sla.delays.systemMeasured} handoffs</div></div>
<div class="card" id="rep-delay" data-minutes="${html(sla.delays.repMedianMinutes ?? '')}"><div class="muted">Rep delay (alerted → decided, business min)</div><div class="big">${html(minutes(sla.delays.repMedianMinutes))}</div><div class="muted">median of ${sla.delays.repMeasured} handoffs</div></div>
</div>
<p id="missed-windows" class="muted">Missed acceptance windows (the rep's, never the system's): ${html(missedByRep(sla.delays.missedWindowsByRep))}.</p>
<p id="episodes" data-episodes="${sla.episodes}" data-findings="${sla.dataQuality.length}" class="muted">Episodes measured: ${sla.episodes}; data-quality findings: ${sla.dataQuality.length}${sla.dataQuality.length ? ` (${html(sla.dataQuality.map((d) => `contact ${d.contactId}: ${d.kind}`).join('; '))})` : ''}.</p>
<h3>Funnel by lead source</h3>
${funnelChart(sla.funnel)}
<table id="funnel"><thead>${row(['Lead source', ...FUNNEL_STAGES].map((h, i) => `<th${i ? ' class="num"' : ''}>${h}</th>`))}</thead><tbody>${funnelRows}</tbody></table>
<p class="muted">${html(funnelRecordedIn(sla.funnelLineage))}</p>
<h3>Speed-to-lead distribution</h3>
${sla.speedToLead ? histogramChart(sla.speedToLead.buckets, sla.speedToLead.unit, speedTarget) : '<p class="signal">SIGNAL MISSING: the contract has no duration speed_to_lead commitment</p>'}
<h3>Rejected leads by reason</h3>
${barChart('chart-rejections', 'Rejected leads by reason', sla.rejections.map((r) => ({ label: r.code, value: r.count })))}
<table id="rejections"><thead>${row(['Code', 'Reason', 'Recyclable', 'Leads'].map((h, i) => `<th${i === 3 ? ' class="num"' : ''}>${h}</th>`))}</thead><tbody>${sla.rejections
    .map((r) => `<tr data-code="${html(r.code)}">${td(r.code)}${td(r.label)}${td(r.recyclable === null ? '—' : r.recyclable ? 'yes' : 'no')}${td(r.count, true)}</tr>`)
    .join('')}</tbody></table>
${sla.signalsMissing.length ? `<h3>Signals missing</h3><ul id="signals-missing">${sla.signalsMissing.map((s) => `<li class="signal">${html(s)}</li>`).join('')}</ul>` : ''}`;
}

function reviewSection(report: ReconcileReport): string {
  const { review, commitments } = report.sla;
  const measured = commitments.filter((c) => c.met !== null);
  const agenda = review.agenda
    .map((a) => {
      const extra =
        a.item === 'improvement_action'
          ? `: <strong id="improvement-action">${html(review.improvementAction)}</strong>`
          : a.item === 'commitment_attainment'
            ? ` (${measured.filter((c) => c.met).length} of ${measured.length} measured commitments met)`
            : '';
      return `<li>${html(a.title)}${extra}</li>`;
    })
    .join('');
  return `<h2>Monthly review pack — ${html(review.month)}</h2>
<p>${review.durationMinutes} minutes, chaired by ${html(review.chair)}. Fixed agenda, not a free-form grievance session:</p>
<ol id="agenda">${agenda}</ol>
<p id="recalibration-trigger" data-fired="${String(review.trigger.fired)}" class="${review.trigger.fired ? 'missed' : 'muted'}">Recalibration trigger: ${html(review.trigger.message)}.</p>`;
}

function quarterlySection(report: ReconcileReport): string {
  const q = report.sla.quarterly;
  const whatIf = `<p id="whatif">Before signing a recalibration: <code>${html(WHAT_IF_HINT.command)}</code> ${html(WHAT_IF_HINT.sentence)} (${html(WHAT_IF_HINT.docs)}).</p>`;
  if (!q) return `<h2>Quarterly comparison</h2><p class="signal">SIGNAL MISSING: no saved report at least 80 days old to compare with (pass --compare &lt;report.json&gt;).</p>${whatIf}`;
  const rows = q.commitments.map((c) => row([td(c.title), td(c.then.value, true), td(c.now.value, true), td(change(c.then.value, c.now.value), true), `<td>${statusCell(c.then.met)}</td>`, `<td>${statusCell(c.now.met)}</td>`])).join('');
  return `<h2>Quarterly comparison with the report of ${html(q.earlierGeneratedAt)}</h2>
<table id="quarterly"><thead>${row(['Commitment', 'Then', 'Now', 'Change', 'Then', 'Now'].map((h) => `<th>${h}</th>`))}</thead><tbody>${rows}</tbody></table>
<ul><li>Speed-to-lead median ${html(q.speedToLead.then.median ?? '—')} → ${html(q.speedToLead.now.median ?? '—')}; attainment ${html(q.speedToLead.then.attainment ?? '—')}% → ${html(q.speedToLead.now.attainment ?? '—')}%</li>
<li>Acceptance rate ${html(q.acceptance.then ?? '—')}% → ${html(q.acceptance.now ?? '—')}%</li>
<li>Dominant rejection reasons: then ${html(q.dominantReasons.then.join(', ') || 'none')}; now ${html(q.dominantReasons.now.join(', ') || 'none')}</li>
<li>Definitions to recalibrate: ${html(q.recalibrate.join('; ') || 'none')}</li></ul>${whatIf}`;
}

function driftSection(report: ReconcileReport): string {
  const { drift } = report;
  const counts = DRIFT_CLASSES.map((c) => `<tr data-drift-class="${c}" data-count="${drift.counts[c]}">${td(DRIFT_CLASS_INFO[c].label)}${td(DRIFT_CLASS_INFO[c].meaning)}${td(drift.counts[c], true)}${td(drift.policy[c] ?? 'report')}</tr>`).join('');
  const items = drift.items
    .slice(0, ITEMS_SHOWN)
    .map((i) => `<tr data-key="${html(i.key)}" data-outcome="${i.outcome}">${td(DRIFT_CLASS_INFO[i.class].label)}${td(i.contactId)}${td(i.leadIds?.join(', '))}${td(i.detail)}${td(i.outcomeDetail ?? '')}${td(i.isNew ? 'new' : 'seen')}${td(OUTCOME_LABELS[i.outcome])}</tr>`)
    .join('');
  return `<h2>Drift between HubSpot and Salesforce</h2>
<p id="drift-summary" data-items="${drift.items.length}" data-new="${drift.newCount}" data-repaired="${drift.repaired}">${drift.items.length} items (${drift.newCount} new since ${html(drift.previousRunId ?? 'no earlier run')}), ${drift.repaired} repaired, ${drift.repairFailed} repairs failed.</p>
<table id="drift-classes"><thead>${row(['Class', 'Meaning', 'Items', 'Policy'].map((h) => `<th>${h}</th>`))}</thead><tbody>${counts}</tbody></table>
<table id="drift-items"><thead>${row(['Class', 'Contact', 'Salesforce leads', 'What', 'Why / repair', 'New', 'Outcome'].map((h) => `<th>${h}</th>`))}</thead><tbody>${items}</tbody></table>
<p class="muted">${html(itemsNote(drift.items.length))}</p>`;
}

export function renderHtml(report: ReconcileReport): string {
  const measured = report.sla.commitments.filter((c) => c.met !== null);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<title>Handoff SLA report — portal ${html(report.portalId)}</title><style>${STYLE}</style></head>
<body>
<h1>Handoff SLA report — portal ${html(report.portalId)}</h1>
<p class="muted">Run ${html(report.runId)}, generated ${html(report.generatedAt)}. Contract: ${html(report.contract.name)} (v${report.contract.version}). Window ${html(report.sla.window.from)} → ${html(report.sla.window.to)}.</p>
<div class="cards">
<div class="card"><div class="muted">Commitments met</div><div class="big" id="commitments-met">${measured.filter((c) => c.met).length} / ${measured.length}</div></div>
<div class="card"><div class="muted">Drift items</div><div class="big">${report.drift.items.length}</div><div class="muted">${report.drift.newCount} new, ${report.drift.repaired} repaired</div></div>
<div class="card"><div class="muted">Snapshot</div><div class="big">${report.snapshot.contacts} / ${report.snapshot.leads}</div><div class="muted">contacts / leads</div></div>
<div class="card"><div class="muted">API calls</div><div class="big">${report.snapshot.apiCalls.hubspot} / ${report.snapshot.apiCalls.salesforce}</div><div class="muted">HubSpot / Salesforce</div></div>
</div>
${slaSection(report)}
${reviewSection(report)}
${quarterlySection(report)}
${report.handoffs ? handoffHealthHtml(report.handoffs) : ''}
${driftSection(report)}
</body></html>
`;
}
