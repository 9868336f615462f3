/**
 * The signed accept/reject links in a rep's alert. GET only shows a confirmation page (chat apps and
 * mail scanners prefetch links, so a GET must never decide a lead); the form POSTs back to the same
 * signed URL, which executes the handoff's update as the link's rep. The update's validator has the
 * last word (the rep must own the lead in the link's assignment); the page shown before and after
 * says what happened to the lead, never Temporal's raw error, and offers no button that cannot work.
 */
import formbody from '@fastify/formbody';
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Contract } from '../mappings/contract';
import { verifyActionToken, type ActionTokenPayload } from '../activities/notify';
import type { DecisionInput } from '../api/handoff';
import { acceptUpdate, rejectUpdate } from '../workflows/handoff';
import { lookUpHandoff } from './action-lookup';
import { escapeHtml, linkPage, readableInstant, type LinkPage } from './action-pages';

export interface ActionRouteDeps {
  client: Client;
  secret: string;
  contract: () => Contract;
  now?: () => Date;
}

function page(reply: FastifyReply, view: Pick<LinkPage, 'status' | 'title' | 'body'>): FastifyReply {
  return reply
    .code(view.status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(view.title)}</title>` +
        `<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}button{font-size:1rem;padding:.5rem 1rem}</style>` +
        `</head><body><h1>${escapeHtml(view.title)}</h1>${view.body}</body></html>`,
    );
}

const FAILURE_TEXT = {
  malformed: 'This link is not a valid handoff link.',
  bad_signature: 'This link was not issued by handoff-bridge.',
  expired: 'This link has expired: the acceptance window is over.',
} as const;

export async function registerActionRoutes(app: FastifyInstance, deps: ActionRouteDeps): Promise<void> {
  await app.register(async (scope) => {
    await scope.register(formbody);
    const verify = (token: string) => verifyActionToken(token, deps.secret, (deps.now ?? (() => new Date()))());
    const current = async (link: ActionTokenPayload) => linkPage(link, await lookUpHandoff(deps.client, link.workflowId), deps.contract());

    scope.get<{ Params: { token: string } }>('/actions/:token', async (request, reply) => {
      const verdict = verify(request.params.token);
      if (!verdict.ok) return page(reply, { status: verdict.reason === 'expired' ? 410 : 401, title: 'Link not valid', body: `<p>${FAILURE_TEXT[verdict.reason]}</p>` });
      return page(reply, await current(verdict.payload));
    });

    scope.post<{ Params: { token: string }; Body: { reason?: string } }>('/actions/:token', async (request, reply) => {
      const verdict = verify(request.params.token);
      if (!verdict.ok) return page(reply, { status: verdict.reason === 'expired' ? 410 : 401, title: 'Link not valid', body: `<p>${FAILURE_TEXT[verdict.reason]}</p>` });
      const link = verdict.payload;
      const before = await current(link);
      if (!before.decides) return page(reply, before);
      try {
        const state = await decide(deps.client, link, request.body?.reason);
        const afterwards =
          state.stage === 'SAL'
            ? `<p role="alert">You accepted this lead on ${escapeHtml(readableInstant(state.marks.acceptedAt))}; rejecting it later (the Reject link in your alert) returns it to nurture.</p>`
            : '';
        return page(reply, { status: 200, title: 'Done', body: `<p>The lead is now <strong>${escapeHtml(state.stage)}</strong>.</p>${afterwards}` });
      } catch (err) {
        // Refused by the validator, or the handoff moved on (decided, reassigned, closed) since the
        // page above was read: say what it is now. A failure the page cannot explain stays a 500.
        const now = await current(link);
        if (!now.decides) return page(reply, now);
        // Still decidable, so the validator refused this input (a reason outside the taxonomy).
        if (err instanceof WorkflowUpdateFailedError) return page(reply, { status: 409, title: 'Not possible', body: `<p>${escapeHtml(err.cause?.message ?? err.message)}</p>` });
        throw err;
      }
    });
  });
}

async function decide(client: Client, link: ActionTokenPayload, reason: string | undefined) {
  const handle = client.workflow.getHandle(link.workflowId);
  const by: DecisionInput = { actor: link.repId, via: 'link', asOwner: { repId: link.repId, deadline: link.expiresAt } };
  if (link.action === 'accept') return handle.executeUpdate(acceptUpdate, { args: [by] });
  return handle.executeUpdate(rejectUpdate, { args: [{ ...by, reason: reason ?? '' }] });
}
