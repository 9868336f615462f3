/**
 * `handoff-bridge lead show|accept|reject|retry <contactId>`: a lead's handoff from the terminal. Accept
 * and reject go through the same validated updates as the signed links, so the closed taxonomy holds
 * here too; retry resumes a handoff a CRM refused, once the cause is fixed (worker/lead-retry.ts).
 */
import { Option, type Command } from '@commander-js/extra-typings';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { DecisionInput, HandoffState } from '../../api/handoff';
import { acceptUpdate, rejectUpdate, stateQuery } from '../../workflows/handoff';
import { handoffWorkflowId } from '../../api/ids';
import { retryAll, retryOne, retrySummary } from '../lead-retry';
import { registerRebaseContract } from './lead-rebase';
import { blockedHandoffs } from '../stuck-queries';
import { connectClientFromEnv } from '../temporal-client';
import { usageError, withExamples } from '../cli/declare';
import { exitWith } from '../cli/errors';
import { validated } from '../cli/values';

export const summary = 'show, accept, reject, retry a lead or move it to a contract version: lead show|accept|reject|retry|rebase-contract <contactId>';

export function formatTimeline(state: HandoffState): string {
  const lines = [
    `lead ${state.contactId} (portal ${state.portalId}): ${state.stage}${state.outcome ? ` — ${state.outcome}` : ''}`,
    `  contract ${state.contractHash ?? '—'}  owner ${state.ownerId ?? '—'}  salesforce lead ${state.salesforceLeadId ?? '—'}  deadline ${state.deadline ?? '—'}`,
    `  reassignments ${state.reassignments}  breached ${state.breached ? 'yes' : 'no'}${state.rejectionReason ? `  reason ${state.rejectionReason}` : ''}`,
    `  system delay ${state.delays.systemSeconds ?? '—'} s${state.delays.blockedSeconds ? ` (${state.delays.blockedSeconds} s blocked)` : ''}  rep delay ${state.delays.repSeconds ?? '—'} s${state.flags.length ? `  flags ${state.flags.join(', ')}` : ''}`,
    ...(state.blocked
      ? [`  BLOCKED since ${state.blocked.since} at ${state.blocked.step}: ${state.blocked.code} (${state.blocked.retries} retries); fix it, then \`lead retry ${state.contactId}\``]
      : []),
    '  timeline:',
    ...state.timeline.map((t) => `    ${t.at}  ${t.stage.padEnd(19)} ${t.event}${t.detail ? `  ${t.detail}` : ''}`),
  ];
  return lines.join('\n');
}

export type LeadAction = 'show' | 'accept' | 'reject';

export interface LeadOptions {
  portal: string;
  as?: string;
  reason?: string;
  /** Decide as this rep: refused, like the rep's own link, unless the rep owns the lead now. */
  rep?: string;
  json?: boolean;
}

function actorName(as: string | undefined): string {
  return `cli:${as ?? process.env.USER ?? 'operator'}`;
}

/** Shows, accepts or rejects one lead's handoff; exit 1 when there is none or the update is refused. */
export async function lead(action: LeadAction, contactId: string, options: LeadOptions): Promise<number> {
  const portalId = options.portal;
  const client = await connectClientFromEnv();
  try {
    const handle = client.workflow.getHandle(handoffWorkflowId({ portalId, contactId }));
    const by: DecisionInput = { actor: actorName(options.as), via: 'cli', ...(options.rep ? { asOwner: { repId: options.rep } } : {}) };
    const state =
      action === 'show'
        ? await handle.query(stateQuery)
        : action === 'accept'
          ? await handle.executeUpdate(acceptUpdate, { args: [by] })
          : await handle.executeUpdate(rejectUpdate, { args: [{ ...by, reason: options.reason ?? '' }] });
    console.log(options.json ? JSON.stringify(state, null, 2) : formatTimeline(state));
    return 0;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) {
      console.error(`lead ${contactId}: no handoff in portal ${portalId}`);
      return 1;
    }
    if (err instanceof WorkflowUpdateFailedError) {
      console.error(`lead ${action} refused: ${err.cause?.message ?? err.message}`);
      return 1;
    }
    throw err;
  } finally {
    await client.connection.close();
  }
}

/** `lead retry <contactId>`: runs the refused step again; exit 1 unless it went through. */
export async function retryLead(contactId: string, options: { portal: string; as?: string; step?: string }): Promise<number> {
  const client = await connectClientFromEnv();
  try {
    const outcome = await retryOne(client, { portalId: options.portal, contactId, actor: actorName(options.as), ...(options.step !== undefined ? { step: options.step } : {}) });
    if (outcome.result !== 'went-through') {
      console.error(`lead retry: ${outcome.line}`);
      return 1;
    }
    console.log(outcome.line);
    if (outcome.state) console.log(formatTimeline(outcome.state));
    return 0;
  } finally {
    await client.connection.close();
  }
}

/** `lead retry --all --step S`: one cause at a time, so a fix for one cause never re-runs another's step. */
export async function retryEveryBlocked(options: { step: string; portal?: string; as?: string }): Promise<number> {
  const client = await connectClientFromEnv();
  try {
    const outcomes = await retryAll(client, { step: options.step, actor: actorName(options.as), ...(options.portal ? { portalId: options.portal } : {}) });
    for (const outcome of outcomes) console.log(`  ${outcome.line}`);
    console.log(retrySummary(outcomes));
    return outcomes.every((o) => o.result === 'went-through' || o.result === 'not-blocked') ? 0 : 1;
  } finally {
    await client.connection.close();
  }
}

const DESCRIPTIONS: Record<LeadAction, string> = {
  show: "print the lead's handoff: stage, owner, deadline, delays and timeline",
  accept: 'accept the lead on behalf of its owner (the same validated update as the signed link)',
  reject: "reject the lead with a reason code from the contract's rejection taxonomy",
};

/** A step name as the visibility query takes it (the same check `leads stuck` applies). */
const stepName = validated((value: string) => {
  blockedHandoffs({ step: value });
  return value;
});

const portalOption = (): Option<'--portal <id>'> => new Option('--portal <id>', 'the HubSpot portal (hub) id').env('HUBSPOT_PORTAL_ID');
const PORTAL_NEEDED = 'the HubSpot portal id is needed: pass --portal ID or set HUBSPOT_PORTAL_ID';

function registerRetry(group: Command): void {
  const command = group
    .command('retry')
    .description(
      'after fixing what a CRM refused (an inactive rep, a renamed picklist value), run the refused step of a Blocked handoff again; with --all, of every handoff blocked at --step',
    )
    .argument('[contactId]', 'the HubSpot contact id (omit with --all)')
    .addOption(portalOption())
    .option('--step <step>', 'the blocked step, as `leads stuck` lists it (assignLead, updateLead, writeContact, ...); required with --all', stepName)
    .option('--all', 'every handoff blocked at --step (in --portal, if given), a few at a time')
    .option('--as <name>', 'who acts, recorded in the timeline (default: $USER)');
  withExamples(command, 'lead retry 1001 --portal 62515', 'lead retry --all --step assignLead');
  command.action((contactId, options, self) => {
    if (options.all) {
      if (contactId !== undefined) usageError(self, `give a contactId or --all, not both (got ${contactId})`);
      if (options.step === undefined) usageError(self, 'lead retry --all needs --step STEP (the blocked step, as `leads stuck` lists it: assignLead, updateLead, writeContact, ...)');
      return exitWith(retryEveryBlocked({ ...options, step: options.step }));
    }
    if (contactId === undefined) usageError(self, "missing required argument 'contactId' (or --all --step STEP)");
    if (!options.portal) usageError(self, PORTAL_NEEDED);
    return exitWith(retryLead(contactId, { ...options, portal: options.portal }));
  });
}

export function register(program: Command): void {
  const group = program.command('lead').description(summary);
  withExamples(group, 'lead show 1001 --portal 62515', 'lead retry --all --step assignLead');
  for (const action of ['show', 'accept', 'reject'] as const) {
    const command = group
      .command(action)
      .description(DESCRIPTIONS[action])
      .argument('<contactId>', 'the HubSpot contact id')
      .addOption(portalOption())
      .option('--as <name>', 'who acts, recorded in the timeline (default: $USER)')
      .option('--json', 'print the handoff state as JSON (for scripts)');
    if (action !== 'show') command.option('--rep <repId>', "decide as this rep: refused, like the rep's own link, unless the rep owns the lead now");
    if (action === 'reject') command.requiredOption('--reason <code>', "a code from the contract's rejection taxonomy");
    withExamples(command, `lead ${action} 1001 --portal 62515${action === 'reject' ? ' --reason NOT_A_FIT' : ''}${action === 'accept' ? ' --rep 005000000000001AAA' : ''}`);
    command.action((contactId, options, self) => {
      if (!options.portal) usageError(self, PORTAL_NEEDED);
      const reason = 'reason' in options && typeof options.reason === 'string' ? options.reason : undefined;
      const rep = 'rep' in options && typeof options.rep === 'string' ? options.rep : undefined;
      return exitWith(lead(action, contactId, { ...options, portal: options.portal, reason, rep }));
    });
  }
  registerRetry(group);
  registerRebaseContract(group);
}
