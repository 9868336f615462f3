/**
 * HubSpot webhook signature v3: base64(HMAC-SHA256(clientSecret, method + uri + rawBody + timestamp)),
 * rejected when older than five minutes or more than 30 seconds ahead of our clock (clock skew only:
 * a timestamp from the future would stretch a captured request's replay window). Written here rather than through the SDK's
 * `Signature.isValid`, which compares with `===` (not constant-time) and throws on stale timestamps.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const MAX_SIGNATURE_AGE_MS = 5 * 60 * 1000;
export const MAX_FUTURE_SKEW_MS = 30 * 1000;

export type SignatureVerdict = { ok: true } | { ok: false; reason: string };

/** HubSpot decodes these %-escapes in the URI before signing (its documented list). */
const DECODED_ESCAPES: Record<string, string> = {
  '%3A': ':',
  '%2F': '/',
  '%3F': '?',
  '%40': '@',
  '%21': '!',
  '%24': '$',
  '%27': "'",
  '%28': '(',
  '%29': ')',
  '%2A': '*',
  '%2C': ',',
  '%3B': ';',
};

export function canonicalUri(uri: string): string {
  return uri.replace(/%3A|%2F|%3F|%40|%21|%24|%27|%28|%29|%2A|%2C|%3B/gi, (m) => DECODED_ESCAPES[m.toUpperCase()] ?? m);
}

export function signV3(input: { clientSecret: string; method: string; uri: string; rawBody: string; timestamp: string }): string {
  return createHmac('sha256', input.clientSecret)
    .update(`${input.method.toUpperCase()}${canonicalUri(input.uri)}${input.rawBody}${input.timestamp}`)
    .digest('base64');
}

export function verifyV3(input: {
  clientSecret: string;
  method: string;
  uri: string;
  rawBody: string;
  signature: string | undefined;
  timestamp: string | undefined;
  now: number;
}): SignatureVerdict {
  if (!input.signature) return { ok: false, reason: 'missing X-HubSpot-Signature-v3 header' };
  if (!input.timestamp || !/^\d{10,16}$/.test(input.timestamp)) {
    return { ok: false, reason: 'missing or malformed X-HubSpot-Request-Timestamp header' };
  }
  const age = input.now - Number(input.timestamp);
  if (age > MAX_SIGNATURE_AGE_MS) return { ok: false, reason: 'request timestamp is older than 5 minutes' };
  if (age < -MAX_FUTURE_SKEW_MS) return { ok: false, reason: 'request timestamp is more than 30 seconds in the future' };
  const expected = Buffer.from(signV3({ ...input, timestamp: input.timestamp }));
  const given = Buffer.from(input.signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { ok: false, reason: 'signature does not match' };
  }
  return { ok: true };
}
