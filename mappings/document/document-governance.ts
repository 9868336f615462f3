/**
 * Sections VI to VIII of the SLA document: the one dashboard both teams read (with the HubSpot report
 * to build for each metric), the governance rhythm, and the 30/60/90-day rollout.
 */
import { describeTarget } from './describe-measure';
import { ownerName } from './document-contract';
import { crossingRoutes, type CommitmentLineage, REVIEW_AGENDA, type Contract } from '../contract';
import { code, table } from './markdown';

const AGENDA_TEXT: Record<(typeof REVIEW_AGENDA)[number], string> = {
  commitment_attainment: 'Attainment against each commitment (section III), from the dashboard only',
  conversion_funnel: 'The MQL → SAL → SQL → opportunity → won funnel, by lead source',
  rejection_reasons: 'Rejected-lead volume by reason, and what marketing changes because of it',
  improvement_action: 'One improvement action, with an owner and a date',
};

function targetOf(contract: Contract, id: string): string {
  const c = contract.commitments.find((x) => x.id === id);
  return c ? describeTarget(c.target) : '-';
}

function caveat(lineage: readonly CommitmentLineage[], id: string): string {
  const l = lineage.find((x) => x.commitmentId === id);
  if (!l) return '';
  if (l.signalMissing) return ` ${l.signalMissing}`;
  return l.crossesIntegration ? ` Lags up to ${l.lagMinutes} min (${crossingRoutes(l)}).` : '';
}

export function dashboardSection(contract: Contract, lineage: readonly CommitmentLineage[]): string {
  const attempts = contract.contactAttempts;
  const channels = attempts.channels.join(', ');
  const rows = [
    ['Speed-to-lead', `Business minutes (contract calendar) from the episode's FIRST assignment to the first logged attempt in a counted channel (${channels}), accepted and rejected leads alike; stamped within one watcher poll of the Task. Attainment = met ÷ (met + missed); a lead with no attempt whose target has not passed is pending, neither`, `Single-object Contacts report on a "time between" calculated property (${code('handoff_assigned_at')} → ${code('handoff_first_attempt_at')}): median, and % within target, by contact owner.${caveat(lineage, 'speed_to_lead')}`, targetOf(contract, 'speed_to_lead')],
    ['Follow-up rate', `Of accepted leads whose window has closed (the same clock time on working day ${attempts.windowBusinessDays}, holidays and short days per the calendar), the share with ${attempts.attempts} attempts spanning every channel of ${channels}; other Task types do not count; open windows are pending`, `Cross-object Contacts + Activities report: logged calls, emails and LinkedIn tasks after ${code('handoff_accepted_at')}, by owner.${caveat(lineage, 'contact_attempts')}`, targetOf(contract, 'contact_attempts')],
    ['Conversion funnel', 'MQL → SAL → SQL → opportunity → won, segmented by lead source; won = the converted opportunity is won in Salesforce; a stage whose fields the org lacks shows SIGNAL MISSING, never 0', `Funnel report (Contacts, lifecycle stages, "all stages" type) with SAL from ${code('handoff_accepted_at')}, broken down by ${code('hs_analytics_source')}; won from the Salesforce opportunity.`, `acceptance ≥ ${targetOf(contract, 'acceptance_rate')}`],
    ['Rejected leads by reason', "Count of rejected handovers per taxonomy code (each episode's own reason), then windows missed, monthly", `Single-object Contacts report: count by ${code('handoff_rejection_reason')}, bar chart by month.`, 'trend, reviewed monthly'],
    ['Marketing volume', 'MQLs delivered per month against commitment; a lead MQL\'d twice is two handovers', `Single-object Contacts report: count by month of ${code('hs_lifecyclestage_marketingqualifiedlead_date')} with a goal line.${caveat(lineage, 'mql_volume')}`, targetOf(contract, 'mql_volume')],
    ['Marketing quality', 'Accepted ÷ decided handovers (accepted, rejected or window missed), acceptance as the SAL definition says, whichever system recorded it; an acceptance dated before the assignment is a data-quality finding, not accepted', `Single-object Contacts report: ${code('handoff_accepted_at')} known ÷ decided, by source.${caveat(lineage, 'acceptance_rate')}`, targetOf(contract, 'acceptance_rate')],
    ['System vs rep delay', 'Per episode: system = MQL → first assignment → alert delivered; rep = alert delivered → decision, in business minutes; every missed window is the rep\'s, listed per rep', `The reconciliation report (${code('handoff_episodes')} ledger); no HubSpot report can keep episodes apart.`, 'trend, reviewed monthly'],
    ['Data completeness', 'Handovers with every required field, judged on the values at handover (captured at the first assignment)', `Single-object Contacts report: leads with ${code('handoff_outcome')} = RETURNED_INCOMPLETE vs all handed over.${caveat(lineage, 'data_completeness')}`, targetOf(contract, 'data_completeness')],
    ['Dispositions logged', 'Leads with a disposition on record', `Single-object Contacts report on the synced disposition, by owner.${caveat(lineage, 'disposition_logged')}`, targetOf(contract, 'disposition_logged')],
  ];
  return [
    '### VI. SLA DASHBOARD SPEC',
    '',
    'One HubSpot dashboard, the only scoreboard either team quotes in the review. Every figure counts **episodes**: one MQL → handoff run, whose stamps carry the episode (its MQL date, in the `handoff_episodes` ledger), so a figure reads only the stamps of the episode it measures.',
    '',
    table(['Metric', 'Definition', 'HubSpot Report', 'Target'], rows),
  ].join('\n');
}

export function governanceSection(contract: Contract): string {
  const g = contract.governance;
  return [
    '### VII. GOVERNANCE CADENCE',
    '',
    `**Monthly review** (${g.monthlyReview.durationMinutes} minutes, chaired by ${ownerName(contract, g.monthlyReview.chair)}), fixed agenda, not a free-form grievance session:`,
    '',
    ...g.monthlyReview.agenda.map((item, i) => `${i + 1}. ${AGENDA_TEXT[item]}`),
    ...(g.weeklySync ? ['', `**Weekly sync**: ${g.weeklySync.durationMinutes} minutes on the dashboard and open leads, run by ${ownerName(contract, g.weeklySync.owner)}.`] : []),
    '',
    `**Quarterly recalibration**, owned by ${ownerName(contract, g.quarterlyRecalibration.owner)}: the definitions are re-run against the quarter's rejection reasons and closed-lost reasons, and a new contract version is signed.`,
    '',
    `**Holders of the agreement**: ${g.owners.map((id) => ownerName(contract, id)).join(' and ')}.`,
  ].join('\n');
}

function people(contract: Contract, team: 'marketing' | 'sales' | 'revops'): string {
  const names = contract.owners.filter((o) => o.team === team).map((o) => o.name);
  return names.length ? ` (${names.join(', ')})` : '';
}

export function rolloutSection(contract: Contract, lineage: readonly CommitmentLineage[]): string {
  const revops = `RevOps${people(contract, 'revops')}`;
  const demandGen = `Demand Gen${people(contract, 'marketing')}`;
  const sales = `Sales Leadership${people(contract, 'sales')}`;
  const missing = lineage.filter((l) => l.signalMissing).map((l) => l.commitmentId);
  const custom = contract.crm.properties.map((p) => code(p.name));
  return [
    '### VIII. 30 / 60 / 90 DAY ROLLOUT PLAN',
    '',
    '**Days 1-30: agree and build the foundations.**',
    `- ${demandGen} and ${sales}: run the definitions workshop with the lifecycle diagram on screen; sign contract version ${contract.version}.`,
    `- ${revops}: create the bridge stamps in both CRMs${custom.length ? ` and the custom properties ${custom.join(', ')}` : ''}; set the ${contract.fieldMappings.length} field mappings and their sync rules in the connector; run \`sla check\` until it is clean.`,
    `- ${sales}: confirm each rep's working hours, time zone and out-of-office dates in the routing table.`,
    '',
    '**Days 31-60: wire the alert and the revert before announcing the target.**',
    `- ${revops}: start the bridge worker; alerts, the ${contract.handoff.acceptanceWindowBusinessMinutes}-business-minute window, reassignment and revert go live together.`,
    `- ${demandGen}: build nurture list ${contract.handoff.revert.nurtureListId} and its recycle programme.`,
    `- ${sales}: announce the speed-to-lead and contact-attempt commitments once the safety net is live.`,
    '',
    '**Days 61-90: measure and review.**',
    `- ${revops}: build the section VI dashboard${missing.length ? `; resolve the SIGNAL MISSING items (${missing.join(', ')}) or agree the manual check` : ''}.`,
    `- ${sales} and ${demandGen}: hold the first monthly review strictly to the fixed agenda and agree one improvement action.`,
  ].join('\n');
}
