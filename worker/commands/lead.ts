/**
 * `handoff-bridge lead show|accept|reject <contactId>`: a lead's handoff from the terminal. Accept and
 * reject go through the same validated updates as the signed links, so the closed taxonomy holds here too.
 */
import { Option, type Command } from '@commander-js/extra-typings';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { acceptUpdate, rejectUpdate, stateQuery, type HandoffState } from '../../workflows/handoff-api';
import { handoffWorkflowId } from '../../workflows/ids';
import { connectClientFromEnv } from '../temporal-client';
import { usageError, withExamples } from '../cli/declare';
import { exitWith } from '../cli/errors';

export const summary = 'show, accept or reject a lead: lead show|accept|reject <contactId>';

export function formatTimeline(state: HandoffState): string {
  const lines = [
    `lead ${state.contactId} (portal ${state.portalId}): ${state.stage}${state.outcome ? ` — ${state.outcome}` : ''}`,
    `  owner ${state.ownerId ?? '—'}  salesforce lead ${state.salesforceLeadId ?? '—'}  deadline ${state.deadline ?? '—'}`,
    `  reassignments ${state.reassignments}  breached ${state.breached ? 'yes' : 'no'}${state.rejectionReason ? `  reason ${state.rejectionReason}` : ''}`,
    `  system delay ${state.delays.systemSeconds ?? '—'} s  rep delay ${state.delays.repSeconds ?? '—'} s${state.flags.length ? `  flags ${state.flags.join(', ')}` : ''}`,
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
  json?: boolean;
}

/** Shows, accepts or rejects one lead's handoff; exit 1 when there is none or the update is refused. */
export async function lead(action: LeadAction, contactId: string, options: LeadOptions): Promise<number> {
  const portalId = options.portal;
  const client = await connectClientFromEnv();
  try {
    const handle = client.workflow.getHandle(handoffWorkflowId({ portalId, contactId }));
    const by = { actor: `cli:${options.as ?? process.env.USER ?? 'operator'}`, via: 'cli' as const };
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

const DESCRIPTIONS: Record<LeadAction, string> = {
  show: "print the lead's handoff: stage, owner, deadline, delays and timeline",
  accept: 'accept the lead on behalf of its owner (the same validated update as the signed link)',
  reject: "reject the lead with a reason code from the contract's rejection taxonomy",
};

export function register(program: Command): void {
  const group = program.command('lead').description(summary);
  withExamples(group, 'lead show 1001 --portal 62515');
  for (const action of ['show', 'accept', 'reject'] as const) {
    const command = group
      .command(action)
      .description(DESCRIPTIONS[action])
      .argument('<contactId>', 'the HubSpot contact id')
      .addOption(new Option('--portal <id>', 'the HubSpot portal (hub) id').env('HUBSPOT_PORTAL_ID'))
      .option('--as <name>', 'who acts, recorded in the timeline (default: $USER)')
      .option('--json', 'print the handoff state as JSON (for scripts)');
    if (action === 'reject') command.requiredOption('--reason <code>', "a code from the contract's rejection taxonomy");
    withExamples(command, `lead ${action} 1001 --portal 62515${action === 'reject' ? ' --reason NOT_A_FIT' : ''}`);
    command.action((contactId, options, self) => {
      if (!options.portal) usageError(self, 'the HubSpot portal id is needed: pass --portal ID or set HUBSPOT_PORTAL_ID');
      const reason = 'reason' in options && typeof options.reason === 'string' ? options.reason : undefined;
      return exitWith(lead(action, contactId, { ...options, portal: options.portal, reason }));
    });
  }
}
