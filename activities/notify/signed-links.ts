/**
 * Signed accept/reject links for rep alerts. The token is `base64url(payload).base64url(hmac)` with
 * HMAC-SHA256 over the encoded payload. The payload holds ids and an expiry only, never personal data:
 * links end up in chat channels, mail archives and proxy logs.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

export type LinkAction = 'accept' | 'reject';

export interface ActionTokenPayload {
  workflowId: string;
  action: LinkAction;
  repId: string;
  /** ISO instant after which the link no longer works. */
  expiresAt: string;
}

export type ActionTokenFailure = 'malformed' | 'bad_signature' | 'expired';

export type VerifiedActionToken = { ok: true; payload: ActionTokenPayload } | { ok: false; reason: ActionTokenFailure };

/** Compact wire form: short keys keep links short, expiry in epoch seconds. */
const wirePayload = z.object({
  w: z.string().min(1).max(200),
  a: z.enum(['accept', 'reject']),
  r: z.string().min(1).max(100),
  e: z.number().int().positive(),
});

function mac(encodedPayload: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(encodedPayload).digest();
}

export function signActionToken(payload: ActionTokenPayload, secret: string): string {
  const expiresMs = Date.parse(payload.expiresAt);
  if (Number.isNaN(expiresMs)) throw new TypeError('expiresAt must be an ISO instant');
  const wire = wirePayload.parse({ w: payload.workflowId, a: payload.action, r: payload.repId, e: Math.ceil(expiresMs / 1000) });
  const encoded = Buffer.from(JSON.stringify(wire)).toString('base64url');
  return `${encoded}.${mac(encoded, secret).toString('base64url')}`;
}

const TOKEN_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * Decodes base64url only when `text` is the canonical encoding of what it decodes to. Node's decoder
 * ignores the unused low bits of the last character, so several spellings decode to the same bytes;
 * a token has exactly one.
 */
function strictBase64url(text: string): Buffer | undefined {
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
}

/** Checks shape, then signature (constant time), then expiry: an attacker learns nothing from the order. */
export function verifyActionToken(token: string, secret: string, now: Date): VerifiedActionToken {
  if (!TOKEN_SHAPE.test(token)) return { ok: false, reason: 'malformed' };
  const [encoded = '', signature = ''] = token.split('.');
  const expected = mac(encoded, secret);
  const presented = strictBase64url(signature);
  if (!presented || presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
    return { ok: false, reason: 'bad_signature' };
  }
  const payloadBytes = strictBase64url(encoded);
  if (!payloadBytes) return { ok: false, reason: 'malformed' };
  let decoded: unknown;
  try {
    decoded = JSON.parse(payloadBytes.toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const wire = wirePayload.safeParse(decoded);
  if (!wire.success) return { ok: false, reason: 'malformed' };
  if (now.getTime() >= wire.data.e * 1000) return { ok: false, reason: 'expired' };
  return {
    ok: true,
    payload: { workflowId: wire.data.w, action: wire.data.a, repId: wire.data.r, expiresAt: new Date(wire.data.e * 1000).toISOString() },
  };
}

/** The two links an alert carries: `<publicUrl>/actions/<token>`. */
export function actionUrls(
  publicUrl: string,
  link: Omit<ActionTokenPayload, 'action'>,
  secret: string,
): { acceptUrl: string; rejectUrl: string } {
  const base = publicUrl.replace(/\/+$/, '');
  return {
    acceptUrl: `${base}/actions/${signActionToken({ ...link, action: 'accept' }, secret)}`,
    rejectUrl: `${base}/actions/${signActionToken({ ...link, action: 'reject' }, secret)}`,
  };
}
