/**
 * Sections II and III of the SLA document: what the stages mean (with the lifecycle diagram) and
 * what each side owes (with where each measure comes from).
 */
import { describeMeasure, describeEventRef, describeTarget } from './describe-measure';
import { describePredicate, type CommitmentLineage, STAGES, type Contract } from '../contract';
import { lifecycleStateDiagram } from './diagrams';
import { code, mermaidBlock, table } from './markdown';

export function ownerName(contract: Contract, id: string): string {
  const owner = contract.owners.find((o) => o.id === id);
  return owner ? `${owner.name} (${owner.role})` : id;
}

export function definitionsSection(contract: Contract): string {
  const { mql, sal, sql } = contract.definitions;
  const list = (items: readonly Parameters<typeof describePredicate>[0][]) => items.map(describePredicate).join('; ');
  const rows = [
    ['MQL', mql.sentence, `Fit (all of): ${list(mql.fit)}. Engagement (any of): ${list(mql.engagement)}. Read on the HubSpot contact.`, ownerName(contract, mql.owner)],
    ['SAL', sal.sentence, `All of: ${list(sal.confirmedBy)}. Read on the Salesforce lead.`, ownerName(contract, sal.owner)],
    ['SQL', sql.sentence, `All of: ${list(sql.signals)}. Read on the Salesforce lead.`, ownerName(contract, sql.owner)],
  ];
  const required = contract.dataCompleteness.requiredProperties.map(code).join(', ');
  const statusRows = STAGES.map((stage) => {
    const s = contract.statusMapping[stage];
    return [stage, code(s.hubspotLifecycle), s.hubspotLeadStatus ? code(s.hubspotLeadStatus) : '(unchanged)', s.salesforceStatus];
  });
  return [
    '### II. SHARED DEFINITIONS',
    '',
    table(['Stage', 'One-Sentence Definition', 'Observable Criteria', 'Owner'], rows),
    '',
    `A lead is handed over only with every required field filled: ${required || '(none)'}. A blank property never counts as meeting a criterion.`,
    '',
    'How each stage reads in both systems (the bridge writes these on every transition):',
    '',
    table(['Stage', 'HubSpot lifecycle stage', 'HubSpot lead status', 'Salesforce Lead.Status'], statusRows),
    '',
    'The lifecycle both teams sign, drawn from the state machine the bridge executes:',
    '',
    mermaidBlock(lifecycleStateDiagram(contract)),
  ].join('\n');
}

export function commitmentsSection(contract: Contract, lineage: readonly CommitmentLineage[]): string {
  const teamName = { marketing: 'Marketing', sales: 'Sales' } as const;
  const rows = contract.commitments.map((c) => [teamName[c.team], c.title, describeTarget(c.target), describeMeasure(c, contract), ownerName(contract, c.owner)]);
  const lineageRows = lineage.map((l) => [
    l.commitmentId,
    describeEventRef(l.start),
    describeEventRef(l.stop),
    l.crossesIntegration ? 'yes' : 'no',
    l.syncRule ?? (l.crossesIntegration ? 'mixed or none' : '-'),
    l.lagMinutes ? `up to ${l.lagMinutes} min` : 'none',
  ]);
  const missing = lineage.filter((l) => l.signalMissing).map((l) => `- ${l.commitmentId}: ${l.signalMissing ?? ''}`);
  return [
    '### III. RECIPROCAL COMMITMENTS',
    '',
    table(['Team', 'Commitment', 'Target', 'Measure', 'Owner'], rows),
    '',
    `Where each measure comes from. The shared dashboard lives in HubSpot, so an event recorded in Salesforce crosses the connector (one sync every ${contract.connector.cycleMinutes} minutes); bridge stamps are written to both systems at the moment the event happens.`,
    '',
    table(['Commitment', 'Start recorded in', 'Stop recorded in', 'Crosses the sync', 'Sync rule', 'Lag'], lineageRows),
    ...(missing.length ? ['', ...missing] : []),
  ].join('\n');
}
