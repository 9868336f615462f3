/**
 * The one rule for who may decide a lead as its rep: the rep who owns it now, in the current
 * assignment. The handoff's accept/reject validators apply it (so the signed links and the CLI are
 * held to the same rule), and the ingress uses it to show a page without a button that would fail.
 */
import type { DecisionInput, HandoffState } from '../../api/handoff';

/** Links carry their expiry in whole seconds (rounded up); an assignment is named by its deadline. */
const toSecond = (iso: string): number => Math.ceil(Date.parse(iso) / 1000);

/** Why `by` may not decide this lead as its owner, or undefined when it may (or decides as no rep). */
export function ownershipProblem(state: Pick<HandoffState, 'contactId' | 'ownerId' | 'deadline'>, by: DecisionInput): string | undefined {
  if (!by.asOwner) return undefined;
  const { repId, deadline } = by.asOwner;
  if (state.ownerId !== repId) {
    return `lead ${state.contactId} is owned by ${state.ownerId ?? 'nobody yet'}, not ${repId}`;
  }
  if (deadline !== undefined && (state.deadline === undefined || toSecond(state.deadline) !== toSecond(deadline))) {
    return `lead ${state.contactId} was assigned to ${repId} again since this decision's assignment (deadline ${deadline})`;
  }
  return undefined;
}
