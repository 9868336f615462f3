/**
 * The demo's progress as text: a block of lines for a terminal that is redrawn in place, or one plain
 * line for logs and CI (no TTY). Pure: the figures come in, strings go out.
 */
import type { ChatMessageKind } from './chat-listener';
import { OUTCOME_CLASSES, type OutcomeClass } from './lead-plan';
import type { OutcomeTally } from './pipeline-snapshot';
import type { RepActivity } from './simulated-reps';

export interface ProgressFigures {
  elapsedMs: number;
  leads: { released: number; total: number };
  byStage: Record<string, number>;
  chat: Record<ChatMessageKind, number>;
  reps: RepActivity;
  crmCalls: { hubspot: number; salesforce: number };
  connector: { cycles: number; leadsCreated: number };
  outcomes: Partial<Record<OutcomeClass, OutcomeTally>>;
}

/** The lifecycle in reading order; stages not listed (if any) follow. */
const STAGE_ORDER = ['starting', 'New', 'MQL', 'ReturnedToMarketing', 'AwaitingAcceptance', 'SAL', 'SQL', 'Opportunity', 'Customer', 'Nurture', 'Disqualified'];

export function formatElapsed(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const minutes = Math.floor(seconds / 60);
  return minutes ? `${minutes}m${String(seconds % 60).padStart(2, '0')}s` : `${seconds}s`;
}

function stageItems(byStage: Record<string, number>): string[] {
  const names = [...STAGE_ORDER.filter((s) => s in byStage), ...Object.keys(byStage).filter((s) => !STAGE_ORDER.includes(s)).sort()];
  return names.map((s) => `${s} ${byStage[s] ?? 0}`);
}

function outcomeItems(tally: ProgressFigures['outcomes']): string[] {
  return OUTCOME_CLASSES.filter((c) => tally[c]).map((c) => `${c} ${tally[c]?.reached ?? 0}/${tally[c]?.planned ?? 0}`);
}

function accepted(reps: RepActivity): number {
  return reps.acceptedInSalesforce + reps.acceptedByLink;
}

/** `label` then the items, wrapped to `width` under a hanging indent (a narrow terminal must not wrap on its own). */
function wrapped(label: string, items: string[], width: number): string[] {
  const indent = ' '.repeat(label.length);
  const lines: string[] = [];
  let line = label;
  for (const item of items.length ? items : ['none yet']) {
    const next = line.length > label.length ? `${line}, ${item}` : `${line}${item}`;
    if (next.length > width && line.length > label.length) {
      lines.push(`${line},`);
      line = `${indent}${item}`;
    } else {
      line = next;
    }
  }
  return [...lines, line];
}

/** The terminal block (redrawn in place every second), fitted to `width` columns. */
export function progressBlock(f: ProgressFigures, width = 100): string[] {
  const failed = f.reps.failed.length ? [`  Refused    ${f.reps.failed.length} rep action(s); last: ${f.reps.failed.at(-1)?.reason ?? ''}`] : [];
  return [
    `Simulated pipeline  ${formatElapsed(f.elapsedMs)}   ${f.leads.released}/${f.leads.total} leads are MQLs`,
    ...wrapped('  Stages     ', stageItems(f.byStage), width),
    `  Chat       ${f.chat.alert} alerts, ${f.chat.reminder} reminders, ${f.chat.breach} breach notices`,
    ...wrapped('  Reps       ', [`${accepted(f.reps)} accepted (${f.reps.acceptedInSalesforce} in Salesforce, ${f.reps.acceptedByLink} by link)`, `${f.reps.rejected} rejected`, `${f.reps.ignored} alerts ignored`, `${f.reps.attemptsLogged} contact attempts`], width),
    ...wrapped('  CRM calls  ', [`HubSpot ${f.crmCalls.hubspot}`, `Salesforce ${f.crmCalls.salesforce}`, `connector ${f.connector.cycles} cycles`, `${f.connector.leadsCreated} leads created`], width),
    ...wrapped('  Outcomes   ', outcomeItems(f.outcomes).map((o, i) => (i === 0 ? `(reached/planned) ${o}` : o)), width),
    ...failed,
  ];
}

/** One line for a log or CI (printed every few seconds). */
export function progressLine(f: ProgressFigures): string {
  return [
    `[demo ${formatElapsed(f.elapsedMs)}] MQLs ${f.leads.released}/${f.leads.total}`,
    `stages: ${stageItems(f.byStage).join(', ') || 'none yet'}`,
    `alerts ${f.chat.alert}, reminders ${f.chat.reminder}`,
    `accepted ${accepted(f.reps)}, rejected ${f.reps.rejected}`,
    `CRM calls HubSpot ${f.crmCalls.hubspot}, Salesforce ${f.crmCalls.salesforce}`,
    `outcomes: ${outcomeItems(f.outcomes).join(', ')}`,
  ].join(' | ');
}
