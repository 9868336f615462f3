/**
 * What a chaos run checks after the dust settles, read from the systems themselves: every contact's
 * Salesforce leads (duplicates), whether its lead reached an owner, and each handoff's result.
 */
import { WorkflowFailedError, type Client } from '@temporalio/client';
import { SALESFORCE_LEAD_FIELDS as SF } from '../mappings/crm';
import type { SalesforceValue } from '../activities/ports';
import type { BenchPortal } from '../bench/support/portal';
import { rejectUpdate, leadHandoff } from '../workflows/handoff';

/** Contacts whose Salesforce lead has no owner from the contract's reps, and contacts with more than one lead. */
export function assignmentLosses(portal: BenchPortal, contactIds: string[]): { unassigned: string[]; duplicated: string[] } {
  const reps = new Set(portal.contract.routing.reps.map((rep) => rep.id));
  const leadsByContact = new Map<string, Array<Record<string, SalesforceValue>>>();
  for (const lead of portal.sandboxes.salesforce.store.list('Lead')) {
    const contactId = String(lead.fields[SF.hubspotContactId] ?? '');
    leadsByContact.set(contactId, [...(leadsByContact.get(contactId) ?? []), lead.fields]);
  }
  const unassigned = contactIds.filter((id) => !(leadsByContact.get(id) ?? []).some((f) => reps.has(String(f[SF.ownerId] ?? '')) && f[SF.assignedAt]));
  const duplicated = contactIds.filter((id) => (leadsByContact.get(id) ?? []).length > 1);
  return { unassigned, duplicated };
}

/** Each handoff's outcome, or why it has none (still running after the wait, failed, terminated). */
export async function handoffOutcomes(client: Client, workflowIds: string[], waitMs: number): Promise<Map<string, string>> {
  const outcomes = new Map<string, string>();
  const deadline = Date.now() + waitMs;
  await Promise.all(
    workflowIds.map(async (workflowId) => {
      const handle = client.workflow.getHandle<typeof leadHandoff>(workflowId);
      const remaining = Math.max(1, deadline - Date.now());
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<string>((resolve) => {
        timer = setTimeout(() => resolve('still running'), remaining);
      });
      const result = handle.result().then(
        (r) => String(r.outcome),
        (err: unknown) => (err instanceof WorkflowFailedError ? `failed: ${err.cause?.message ?? err.message}` : `no result: ${String(err)}`),
      );
      outcomes.set(workflowId, await Promise.race([result, timeout]));
      clearTimeout(timer);
    }),
  );
  return outcomes;
}

/** How many of `values` are not `expected`, with one example of each other value. */
export function unexpected(values: Iterable<string>, expected: string): { count: number; examples: string[] } {
  const others = [...values].filter((v) => v !== expected);
  return { count: others.length, examples: [...new Set(others)].slice(0, 3) };
}

/** How a chaos run brings its handoffs to a close: the acceptance window runs out, or the rep rejects. */
export type CloseBy = 'breach' | 'rejection';

export const CLOSED_OUTCOME: Record<CloseBy, string> = { breach: 'reverted_missed', rejection: 'reverted_rejected' };

/** Rejects every handoff as the rep would from the alert's link (a recyclable reason: back to nurture). */
export async function rejectAll(client: Client, workflowIds: string[]): Promise<void> {
  const queue = [...workflowIds];
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let id = queue.shift(); id; id = queue.shift()) {
        await client.workflow.getHandle(id).executeUpdate(rejectUpdate, { args: [{ actor: 'rep', via: 'link', reason: 'BAD_TIMING' }] });
      }
    }),
  );
}
