/**
 * The signed accept/reject links in a rep's alert. GET only shows a confirmation page (chat apps and
 * mail scanners prefetch links, so a GET must never decide a lead); the form POSTs back to the same
 * signed URL, which executes the handoff's update. The update's validator has the last word.
 */
import formbody from '@fastify/formbody';
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Contract } from '../mappings/schema';
import { verifyActionToken, type ActionTokenPayload } from '../activities/signed-links';
import { acceptUpdate, rejectUpdate } from '../workflows/handoff-api';

export interface ActionRouteDeps {
  client: Client;
  secret: string;
  contract: () => Contract;
  now?: () => Date;
}

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

function page(reply: FastifyReply, status: number, title: string, body: string): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
        `<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}button{font-size:1rem;padding:.5rem 1rem}</style>` +
        `</head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`,
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

    scope.get<{ Params: { token: string } }>('/actions/:token', async (request, reply) => {
      const verdict = verify(request.params.token);
      if (!verdict.ok) return page(reply, verdict.reason === 'expired' ? 410 : 401, 'Link not valid', `<p>${FAILURE_TEXT[verdict.reason]}</p>`);
      const { action, expiresAt } = verdict.payload;
      if (action === 'accept') {
        return page(
          reply,
          200,
          'Accept this lead?',
          `<p>Accepting starts your contact-attempt commitment. Deadline: ${escapeHtml(expiresAt)}.</p>` +
            `<form method="post"><button type="submit">Accept lead</button></form>`,
        );
      }
      const options = deps
        .contract()
        .rejectionTaxonomy.map((r) => `<option value="${escapeHtml(r.code)}">${escapeHtml(r.label)}</option>`)
        .join('');
      return page(
        reply,
        200,
        'Reject this lead?',
        `<form method="post"><label>Reason <select name="reason" required>${options}</select></label> ` +
          `<button type="submit">Reject lead</button></form>`,
      );
    });

    scope.post<{ Params: { token: string }; Body: { reason?: string } }>('/actions/:token', async (request, reply) => {
      const verdict = verify(request.params.token);
      if (!verdict.ok) return page(reply, verdict.reason === 'expired' ? 410 : 401, 'Link not valid', `<p>${FAILURE_TEXT[verdict.reason]}</p>`);
      try {
        const state = await decide(deps.client, verdict.payload, request.body?.reason);
        return page(reply, 200, 'Done', `<p>The lead is now <strong>${escapeHtml(state.stage)}</strong>.</p>`);
      } catch (err) {
        if (err instanceof WorkflowUpdateFailedError) {
          return page(reply, 409, 'Not possible', `<p>${escapeHtml(err.cause?.message ?? err.message)}</p>`);
        }
        throw err;
      }
    });
  });
}

async function decide(client: Client, payload: ActionTokenPayload, reason: string | undefined) {
  const handle = client.workflow.getHandle(payload.workflowId);
  const by = { actor: payload.repId, via: 'link' as const };
  if (payload.action === 'accept') return handle.executeUpdate(acceptUpdate, { args: [by] });
  return handle.executeUpdate(rejectUpdate, { args: [{ ...by, reason: reason ?? '' }] });
}
