/**
 * The two Mermaid diagrams the playbook requires, generated from the state machine so the picture
 * both teams sign is the machine the workflow runs: a stateDiagram-v2 of the lifecycle (every
 * transition, recycle and revert included) and a flowchart of the handoff-and-revert path.
 */
import { buildStateMachine, missesBeforeRevert, type LeadEvent, type StateMachine, type Contract, type Stage } from '../contract';

const STAGE_TITLES: Record<Stage, string> = {
  New: 'New',
  MQL: 'MQL',
  AwaitingAcceptance: 'Awaiting acceptance',
  SAL: 'SAL',
  SQL: 'SQL',
  Opportunity: 'Opportunity',
  Customer: 'Customer',
  Nurture: 'Nurture',
  Disqualified: 'Disqualified',
  ReturnedToMarketing: 'Returned to marketing',
};

/** stateDiagram labels end at a colon, semicolon or hash: keep them to plain words. */
function stateLabel(text: string): string {
  return text.replace(/[:;#{}<>"]/g, ' ').replace(/\s+/g, ' ').trim();
}

/** Flowchart text goes in double quotes; a quote inside is written as an entity. */
function quoted(text: string): string {
  return `"${text.replace(/"/g, '#quot;')}"`;
}

export function lifecycleStateDiagram(contract: Contract): string {
  const machine = buildStateMachine(contract);
  const lines = ['stateDiagram-v2'];
  for (const stage of machine.stages) {
    if (STAGE_TITLES[stage] !== stage) lines.push(`  state "${STAGE_TITLES[stage]}" as ${stage}`);
  }
  lines.push(`  [*] --> ${machine.initial}`);
  for (const t of machine.transitions) lines.push(`  ${t.from} --> ${t.to} : ${stateLabel(t.label)}`);
  for (const stage of machine.terminal) lines.push(`  ${stage} --> [*]`);
  const h = contract.handoff;
  lines.push(
    '  note right of AwaitingAcceptance',
    `    ${stateLabel(`window ${h.acceptanceWindowBusinessMinutes} business min on the ${contract.calendar.timeZone} calendar`)}`,
    `    ${stateLabel(`reminder ${h.reminderBeforeBreachBusinessMinutes} min before breach`)}`,
    '  end note',
  );
  return lines.join('\n');
}

function has(machine: StateMachine, event: LeadEvent): boolean {
  return machine.transitions.some((t) => t.event === event);
}

function statusText(contract: Contract, stage: Stage): string {
  const s = contract.statusMapping[stage];
  return `HubSpot ${s.hubspotLifecycle}${s.hubspotLeadStatus ? ` / ${s.hubspotLeadStatus}` : ''}, Salesforce ${s.salesforceStatus}`;
}

export function handoffFlowchart(contract: Contract): string {
  const machine = buildStateMachine(contract);
  const { handoff, definitions, routing, rejectionTaxonomy } = contract;
  const channels = [...new Set(handoff.alerts.filter((a) => a.kinds.includes('alert')).map((a) => a.channel))].join(' and ');
  const revert = handoff.revert;
  const recyclable = rejectionTaxonomy.filter((r) => r.recyclable).map((r) => r.code);
  const final = rejectionTaxonomy.filter((r) => !r.recyclable).map((r) => r.code);
  const misses = missesBeforeRevert(contract);
  const node = (id: string, text: string, shape: 'box' | 'decision' = 'box') => (shape === 'box' ? `${id}[${quoted(text)}]` : `${id}{${quoted(text)}}`);
  const edge = (from: string, to: string, label?: string) => `  ${from} -->${label ? `|${quoted(label)}|` : ''} ${to}`;

  const lines = [
    'flowchart TD',
    `  ${node('trigger', `Qualification trigger: ${handoff.level === 'account' ? 'account' : 'contact'} reaches the MQL check (webhook or sweep)`)}`,
    `  ${node('isMql', `MQL? all ${definitions.mql.fit.length} fit criteria and any of ${definitions.mql.engagement.length} engagement signals`, 'decision')}`,
    `  ${node('complete', `All ${contract.dataCompleteness.requiredProperties.length} required fields filled?`, 'decision')}`,
    `  ${node('returned', `Returned to marketing: ${statusText(contract, 'ReturnedToMarketing')}`)}`,
    `  ${node('mql', `Lifecycle set to MQL; Salesforce lead from the connector (grace ${handoff.syncGraceMinutes} min)`)}`,
    `  ${node('route', `Route ${routing.policy.replace('_', ' ')} across ${routing.reps.length} reps, skipping out of office and off hours`)}`,
    `  ${node('alert', `Alert the rep by ${channels}: ${handoff.alertFacts.length} facts, accept and reject links`)}`,
    `  ${node('decision', `Accepted within ${handoff.acceptanceWindowBusinessMinutes} business minutes?`, 'decision')}`,
    `  ${node('revert', `Auto-revert in both systems: HubSpot ${revert.hubspotLifecycle} / ${revert.hubspotLeadStatus}, Salesforce ${revert.salesforceStatus}; read back after ${handoff.readBackAfterMinutes} min`)}`,
    `  ${node('nurture', `Nurture: list ${revert.nurtureListId}, flagged for the monthly review`)}`,
    `  ${node('sal', `SAL: ${statusText(contract, 'SAL')}; ${contract.contactAttempts.attempts} attempts by ${contract.contactAttempts.channels.join(', ')}`)}`,
    `  ${node('isSql', `SQL? ${definitions.sql.signals.map((s) => s.label ?? ('property' in s ? s.property : s.type)).join(' / ')}`, 'decision')}`,
    `  ${node('sql', `SQL, converted to an opportunity: ${statusText(contract, 'Opportunity')}`)}`,
    edge('trigger', 'isMql'),
    edge('isMql', 'nurture', 'No'),
    edge('isMql', 'complete', 'Yes'),
    edge('complete', 'returned', 'No'),
    edge('complete', 'mql', 'Yes'),
    edge('mql', 'route'),
    edge('route', 'alert'),
    edge('alert', 'decision'),
  ];
  if (has(machine, 'reassigned')) lines.push(edge('decision', 'route', `No: reassign, up to ${misses - 1}x`));
  lines.push(edge('decision', 'revert', `No: ${misses} window${misses > 1 ? 's' : ''} missed`), edge('decision', 'sal', 'Yes'));
  if (has(machine, 'rejected_recyclable') || has(machine, 'rejected_final')) {
    lines.push(
      `  ${node('reason', `Rep logs a reason from the closed taxonomy (${rejectionTaxonomy.length} codes)`)}`,
      `  ${node('recyclable', 'Recyclable?', 'decision')}`,
      edge('decision', 'reason', 'Rejected'),
      edge('isSql', 'reason', 'Rejected'),
      edge('reason', 'recyclable'),
    );
    if (recyclable.length) lines.push(edge('recyclable', 'revert', `Yes: ${recyclable.join(', ')}`));
    if (final.length) {
      lines.push(`  ${node('dq', `Disqualified: ${statusText(contract, 'Disqualified')}`)}`, edge('recyclable', 'dq', `No: ${final.join(', ')}`));
    }
  }
  lines.push(edge('revert', 'nurture'), edge('sal', 'isSql'), edge('isSql', 'sql', 'Yes'));
  if (has(machine, 'requalified')) lines.push(`  nurture -.->|${quoted('meets MQL again')}| trigger`, `  returned -.->|${quoted('data completed')}| trigger`);
  return lines.join('\n');
}
