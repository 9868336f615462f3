/**
 * Generated webhook requests for the ingress: forged (wrong secret, tampered body, other URL, stale or
 * future timestamps, missing headers) and correctly signed but malformed bodies. A seeded generator,
 * so a failing case can be reproduced from its seed and index.
 */
import { signedRequest, WEBHOOK_PATH, type SignedRequest } from '../bench/support/ingress';
import { seededRandom } from '../sandbox/random';

export type Forgery = { kind: string; request: SignedRequest };

/** A well-formed event that starts nothing (a property no handoff listens for, on no open handoff). */
export function harmlessEvent(portalId: string, n: number): Record<string, unknown> {
  return {
    eventId: 9_000_000 + n,
    subscriptionId: 2,
    portalId: Number(portalId),
    occurredAt: Date.now(),
    subscriptionType: 'contact.propertyChange',
    attemptNumber: 0,
    objectId: 8_000_000 + n,
    propertyName: 'hs_lead_status',
    propertyValue: 'OPEN',
  };
}

const SIX_MINUTES = 6 * 60_000;

export function forgeries(ingressUrl: string, portalId: string, secret: string, count: number, seed = 7): Forgery[] {
  const random = seededRandom(seed);
  const url = `${ingressUrl}${WEBHOOK_PATH}`;
  const out: Forgery[] = [];
  for (let i = 0; i < count; i++) {
    const body = JSON.stringify([harmlessEvent(portalId, i)]);
    const valid = signedRequest(url, body, secret);
    switch (i % 7) {
      case 0:
        out.push({ kind: 'wrong secret', request: signedRequest(url, body, `${secret}x`) });
        break;
      case 1:
        out.push({ kind: 'tampered body', request: { ...valid, body: body.replace('OPEN', 'CLOSED') } });
        break;
      case 2:
        out.push({ kind: 'signed for another URL', request: signedRequest(`${url}?next=1`, body, secret) });
        break;
      case 3:
        out.push({ kind: 'replayed after 6 minutes', request: signedRequest(url, body, secret, Date.now() - SIX_MINUTES) });
        break;
      case 4:
        out.push({ kind: 'timestamp 6 minutes ahead', request: signedRequest(url, body, secret, Date.now() + SIX_MINUTES) });
        break;
      case 5:
        out.push({ kind: 'no signature', request: { body, headers: { 'content-type': 'application/json', 'x-hubspot-request-timestamp': String(Date.now()) } } });
        break;
      default: {
        const bytes = Buffer.from(valid.headers['x-hubspot-signature-v3'] ?? '', 'base64');
        const at = Math.floor(random.next() * bytes.length);
        bytes[at] = (bytes[at] ?? 0) ^ (1 + Math.floor(random.next() * 254));
        out.push({ kind: 'one flipped signature byte', request: { ...valid, headers: { ...valid.headers, 'x-hubspot-signature-v3': bytes.toString('base64') } } });
      }
    }
  }
  return out;
}

const ODD_VALUES: unknown[] = [null, true, -1, 1e308, '', '💥', 'a'.repeat(10_000), [], {}, { $gt: '' }, '1; DROP TABLE', 1.5, '../../etc/passwd'];

/** Correctly signed bodies that are not what HubSpot sends: junk, wrong shapes, mutated events. */
export function malformedBodies(portalId: string, count: number, seed = 11): string[] {
  const random = seededRandom(seed);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const event = harmlessEvent(portalId, i);
    switch (i % 6) {
      case 0:
        out.push(Buffer.from(Array.from({ length: 1 + Math.floor(random.next() * 200) }, () => Math.floor(random.next() * 256))).toString('latin1'));
        break;
      case 1:
        out.push(JSON.stringify(random.pick(ODD_VALUES)));
        break;
      case 2: {
        const key = random.pick(Object.keys(event));
        out.push(JSON.stringify([{ ...event, [key]: random.pick(ODD_VALUES) }]));
        break;
      }
      case 3: {
        const key = random.pick(Object.keys(event));
        const { [key]: _dropped, ...rest } = event;
        out.push(JSON.stringify([rest]));
        break;
      }
      case 4:
        out.push(JSON.stringify(Array.from({ length: 101 + Math.floor(random.next() * 50) }, (_, n) => harmlessEvent(portalId, n))));
        break;
      default:
        out.push(JSON.stringify([event]).slice(0, Math.floor(random.next() * 40)));
    }
  }
  return out;
}
