import { describe, expect, it } from 'vitest';
import { actionUrls, signActionToken, verifyActionToken } from '../activities/notify';

const SECRET = 'link-signing-secret-of-at-least-32-chars';
const link = { workflowId: 'handoff:123:456', action: 'accept' as const, repId: '005000000000001', expiresAt: '2026-03-02T17:00:00.000Z' };
const before = new Date('2026-03-02T16:59:59Z');

describe('signed action links', () => {
  it('verifies a token it signed and returns its payload', () => {
    const token = signActionToken(link, SECRET);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(verifyActionToken(token, SECRET, before)).toEqual({ ok: true, payload: link });
  });

  it('refuses a token signed with another secret', () => {
    const token = signActionToken(link, 'another-secret-another-secret-another');
    expect(verifyActionToken(token, SECRET, before)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('refuses a token whose payload was changed (accept turned into reject)', () => {
    const [, signature] = signActionToken(link, SECRET).split('.');
    const forged = Buffer.from(JSON.stringify({ w: link.workflowId, a: 'reject', r: link.repId, e: Date.parse(link.expiresAt) / 1000 })).toString('base64url');
    expect(verifyActionToken(`${forged}.${signature}`, SECRET, before)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('refuses an expired token', () => {
    const token = signActionToken(link, SECRET);
    expect(verifyActionToken(token, SECRET, new Date('2026-03-02T17:00:00Z'))).toEqual({ ok: false, reason: 'expired' });
  });

  it('calls garbage malformed', () => {
    for (const token of ['', 'abc', 'a.b.c', 'not base64!.x']) {
      expect(verifyActionToken(token, SECRET, before)).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  it('carries ids only: no secret and nothing beyond the payload inside', () => {
    const [encoded] = signActionToken(link, SECRET).split('.');
    const inside = Buffer.from(encoded ?? '', 'base64url').toString();
    expect(JSON.parse(inside)).toEqual({ w: link.workflowId, a: 'accept', r: link.repId, e: Date.parse(link.expiresAt) / 1000 });
    expect(inside).not.toContain(SECRET);
  });

  it('builds accept and reject links under the public URL', () => {
    const { acceptUrl, rejectUrl } = actionUrls('https://bridge.example.com/', { workflowId: link.workflowId, repId: link.repId, expiresAt: link.expiresAt }, SECRET);
    expect(acceptUrl.startsWith('https://bridge.example.com/actions/')).toBe(true);
    const accept = verifyActionToken(acceptUrl.split('/actions/')[1] ?? '', SECRET, before);
    const reject = verifyActionToken(rejectUrl.split('/actions/')[1] ?? '', SECRET, before);
    expect(accept.ok && accept.payload.action).toBe('accept');
    expect(reject.ok && reject.payload.action).toBe('reject');
  });
});
