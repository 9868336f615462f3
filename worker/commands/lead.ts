/**
 * `handoff-bridge lead show|accept|reject <contactId>`: a lead's handoff from the terminal. Accept and
 * reject go through the same validated updates as the signed links, so the closed taxonomy holds here too.
 */
import { parseArgs } from 'node:util';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { acceptUpdate, rejectUpdate, stateQuery, type DecisionInput, type HandoffState } from '../../workflows/handoff-api';
import { handoffWorkflowId } from '../../workflows/ids';
import { connectClientFromEnv } from '../temporal-client';

export const summary = 'show, accept or reject a lead: lead show|accept|reject <contactId> [--reason CODE] [--portal ID]';

const USAGE = 'usage: handoff-bridge lead show|accept|reject <contactId> [--reason CODE] [--portal ID] [--as NAME] [--rep REP_ID]';

/** --rep REP_ID decides as that rep: refused, like the rep's own link, unless the rep owns the lead now. */

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

export async function run(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { reason: { type: 'string' }, portal: { type: 'string' }, as: { type: 'string' }, rep: { type: 'string' } },
  });
  const [action, contactId] = positionals;
  const portalId = values.portal ?? process.env.HUBSPOT_PORTAL_ID;
  if (!action || !['show', 'accept', 'reject'].includes(action) || !contactId) {
    console.error(USAGE);
    return 2;
  }
  if (!portalId) {
    console.error('lead: the HubSpot portal id is needed: pass --portal ID or set HUBSPOT_PORTAL_ID');
    return 2;
  }
  if (action === 'reject' && !values.reason) {
    console.error('lead reject: --reason CODE is required (a code from the contract\'s rejection taxonomy)');
    return 2;
  }
  const client = await connectClientFromEnv();
  try {
    const handle = client.workflow.getHandle(handoffWorkflowId({ portalId, contactId }));
    const by: DecisionInput = {
      actor: `cli:${values.as ?? process.env.USER ?? 'operator'}`,
      via: 'cli',
      ...(values.rep ? { asOwner: { repId: values.rep } } : {}),
    };
    const state =
      action === 'show'
        ? await handle.query(stateQuery)
        : action === 'accept'
          ? await handle.executeUpdate(acceptUpdate, { args: [by] })
          : await handle.executeUpdate(rejectUpdate, { args: [{ ...by, reason: values.reason ?? '' }] });
    console.log(formatTimeline(state));
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
