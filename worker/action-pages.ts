/**
 * The pages a signed accept/reject link answers, decided from the link and what its handoff is doing
 * now: a form only when the decision can go through (the lead awaits acceptance, or was accepted and
 * may still be rejected, and the link's rep owns it in this assignment); otherwise a page that says
 * what happened (accepted by whom and when, returned to nurture, reassigned to whom), with 409 (the
 * lead is decided or someone else's), 410 (the handoff is over) or 404 (no such handoff).
 */
import type { ActionTokenPayload } from '../activities/notify';
import type { Contract } from '../mappings/contract';
import { ownershipProblem } from '../workflows/handoff';
import type { HandoffOutcome } from '../api/handoff';
import type { LinkedHandoff } from './action-lookup';

export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

export interface LinkPage {
  status: number;
  title: string;
  /** HTML; every interpolated value escaped. */
  body: string;
  /** True when the page carries a form that can decide the lead. */
  decides: boolean;
}

/** "accepted on 2026-12-04 14:02 UTC": what a rep reads, from an ISO instant. */
export function readableInstant(iso: string | undefined): string {
  if (!iso || Number.isNaN(Date.parse(iso))) return 'an unknown date';
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

const OUTCOME_TEXT: Record<HandoffOutcome, string> = {
  not_qualified: 'did not qualify as an MQL, so it was never handed off',
  already_handled: 'was already handled in an earlier handoff',
  contact_missing: 'no longer exists in HubSpot',
  returned_incomplete: 'was returned to marketing: its data was incomplete',
  accepted: 'was accepted',
  qualified: 'was qualified',
  converted: 'was converted to an opportunity',
  won: 'was won',
  reverted_missed: 'was returned to nurture: nobody accepted it in time',
  reverted_rejected: 'was rejected and returned to nurture',
  disqualified: 'was disqualified',
};

function repName(contract: Contract, repId: string | undefined): string {
  if (!repId) return 'nobody yet';
  return contract.routing.reps.find((r) => r.id === repId)?.name ?? repId;
}

function rejectForm(contract: Contract, label: string): string {
  const options = contract.rejectionTaxonomy.map((r) => `<option value="${escapeHtml(r.code)}">${escapeHtml(r.label)}</option>`).join('');
  return `<form method="post"><label>Reason <select name="reason" required>${options}</select></label> <button type="submit">${escapeHtml(label)}</button></form>`;
}

const info = (status: number, title: string, text: string): LinkPage => ({ status, title, body: `<p role="alert">${text}</p>`, decides: false });

/** The page for a verified link, given its handoff now. */
export function linkPage(link: ActionTokenPayload, handoff: LinkedHandoff, contract: Contract): LinkPage {
  if (handoff.kind === 'unknown') return info(404, 'No such handoff', 'There is no handoff for this link. It may have been removed; nothing was changed.');
  if (handoff.kind === 'ended') return info(410, 'Handoff ended', `This lead's handoff ended (${escapeHtml(handoff.status)}); nothing can be decided from this link.`);
  if (handoff.kind === 'finished') {
    const { result } = handoff;
    const outcome = result.outcome ? OUTCOME_TEXT[result.outcome] : `is ${result.stage}`;
    const by = result.outcome === 'accepted' || result.outcome === 'converted' ? ` by ${escapeHtml(repName(contract, result.ownerId))} on ${escapeHtml(readableInstant(result.marks.acceptedAt))}` : '';
    const when = result.marks.outcomeAt ? ` (handoff closed ${escapeHtml(readableInstant(result.marks.outcomeAt))})` : '';
    const reason = result.rejectionReason ? ` Reason: ${escapeHtml(result.rejectionReason)}.` : '';
    return info(410, 'Handoff over', `This lead ${escapeHtml(outcome)}${by}${when}.${reason} This link no longer decides anything.`);
  }

  const { state } = handoff;
  const notOwner = ownershipProblem(state, { actor: link.repId, via: 'link', asOwner: { repId: link.repId, deadline: link.expiresAt } });
  if (notOwner) {
    const owner = escapeHtml(repName(contract, state.ownerId));
    const text =
      state.ownerId === link.repId
        ? `This link is from an earlier assignment of this lead; it is yours again, in a newer alert.`
        : `This lead was reassigned: it is now owned by ${owner}${state.marks.assignedAt ? ` (since ${escapeHtml(readableInstant(state.marks.assignedAt))})` : ''}. Only the owner's links decide it.`;
    return info(409, 'Not your lead any more', text);
  }
  if (state.stage === 'AwaitingAcceptance') {
    if (link.action === 'accept') {
      return {
        status: 200,
        title: 'Accept this lead?',
        body: `<p>Accepting starts your contact-attempt commitment. Deadline: ${escapeHtml(link.expiresAt)}.</p><form method="post"><button type="submit">Accept lead</button></form>`,
        decides: true,
      };
    }
    return { status: 200, title: 'Reject this lead?', body: rejectForm(contract, 'Reject lead'), decides: true };
  }
  if (state.stage === 'SAL') {
    const accepted = `You accepted this lead on ${escapeHtml(readableInstant(state.marks.acceptedAt))}`;
    if (link.action === 'accept') {
      return info(409, 'Already accepted', `${accepted}. Nothing more to do here; rejecting it now (the Reject link in your alert) would return it to nurture.`);
    }
    return {
      status: 200,
      title: 'Reject a lead you accepted?',
      body: `<p role="alert">${accepted}; rejecting now returns it to nurture.</p>${rejectForm(contract, 'Reject and return to nurture')}`,
      decides: true,
    };
  }
  const on = escapeHtml(readableInstant(state.marks.outcomeAt));
  const reason = escapeHtml(state.rejectionReason ?? '');
  if (state.stage === 'Nurture' && state.rejectionReason) return info(409, 'Already rejected', `This lead was rejected (${reason}) and returned to nurture on ${on}.`);
  if (state.stage === 'Nurture' && state.breached) return info(409, 'Returned to nurture', `This lead was returned to nurture on ${on}: nobody accepted it in time.`);
  if (state.stage === 'Disqualified') return info(409, 'Already rejected', `This lead was disqualified (${reason}) on ${on}.`);
  return info(409, 'Nothing to decide', `This lead is ${escapeHtml(state.stage)}; nothing can be decided from this link now.`);
}
