/**
 * `handoff-bridge lead show|accept|reject|retry <contactId>`: a lead's handoff from the terminal. Accept
 * and reject go through the same validated updates as the signed links, so the closed taxonomy holds
 * here too; retry resumes a handoff a CRM refused, once the cause is fixed (worker/lead-retry.ts).
 */
import { parseArgs } from 'node:util';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { acceptUpdate, rejectUpdate, stateQuery, type DecisionInput, type HandoffState } from '../../workflows/handoff-api';
import { handoffWorkflowId } from '../../workflows/ids';
import { retryAll, retryOne, retrySummary } from '../lead-retry';
import { connectClientFromEnv } from '../temporal-client';

export const summary = 'show, accept, reject or retry a lead: lead show|accept|reject|retry <contactId> [--reason CODE] [--portal ID]';

const USAGE = [
  'usage: handoff-bridge lead show|accept|reject|retry <contactId> [--reason CODE] [--portal ID] [--as NAME] [--rep REP_ID]',
  '       handoff-bridge lead retry --all --step STEP [--portal ID] [--as NAME]',
].join('\n');

/** --rep REP_ID decides as that rep: refused, like the rep's own link, unless the rep owns the lead now. */

export function formatTimeline(state: HandoffState): string {
  const lines = [
    `lead ${state.contactId} (portal ${state.portalId}): ${state.stage}${state.outcome ? ` — ${state.outcome}` : ''}`,
    `  owner ${state.ownerId ?? '—'}  salesforce lead ${state.salesforceLeadId ?? '—'}  deadline ${state.deadline ?? '—'}`,
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

export async function run(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { reason: { type: 'string' }, portal: { type: 'string' }, as: { type: 'string' }, rep: { type: 'string' }, all: { type: 'boolean' }, step: { type: 'string' } },
  });
  const [action, contactId] = positionals;
  const portalId = values.portal ?? process.env.HUBSPOT_PORTAL_ID;
  if (action === 'retry' && values.all) return retryEveryBlocked({ step: values.step, portalId: portalId || undefined, actor: actorName(values.as) });
  if (!action || !['show', 'accept', 'reject', 'retry'].includes(action) || !contactId) {
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
      actor: actorName(values.as),
      via: 'cli',
      ...(values.rep ? { asOwner: { repId: values.rep } } : {}),
    };
    if (action === 'retry') {
      const outcome = await retryOne(client, { portalId, contactId, actor: by.actor, ...(values.step !== undefined ? { step: values.step } : {}) });
      if (outcome.result !== 'went-through') {
        console.error(`lead retry: ${outcome.line}`);
        return 1;
      }
      console.log(outcome.line);
      if (outcome.state) console.log(formatTimeline(outcome.state));
      return 0;
    }
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

function actorName(as: string | undefined): string {
  return `cli:${as ?? process.env.USER ?? 'operator'}`;
}

/** `lead retry --all --step S`: one cause at a time, so a fix for one cause never re-runs another's step. */
async function retryEveryBlocked(input: { step: string | undefined; portalId: string | undefined; actor: string }): Promise<number> {
  if (!input.step) {
    console.error('lead retry --all: --step STEP is required (the blocked step, as `leads stuck` lists it: assignLead, updateLead, writeContact, ...)');
    return 2;
  }
  const client = await connectClientFromEnv();
  try {
    const outcomes = await retryAll(client, { step: input.step, actor: input.actor, ...(input.portalId ? { portalId: input.portalId } : {}) });
    for (const outcome of outcomes) console.log(`  ${outcome.line}`);
    console.log(retrySummary(outcomes));
    return outcomes.every((o) => o.result === 'went-through' || o.result === 'not-blocked') ? 0 : 1;
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    console.error(`lead retry --all: ${err.message}`);
    return 2;
  } finally {
    await client.connection.close();
  }
}
