/** `handoff-bridge reconcile`: refuses bad usage before touching anything, and draws its progress line. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { progressLine } from '../worker/report/progress-bar';
import { cli } from './helpers/cli';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('the reconcile command', () => {
  it('exits 2 in one line when --out is missing or the repair policy names an unknown class', async () => {
    const missing = await cli('reconcile');
    expect(missing.code).toBe(2);
    expect(missing.out).toBe("error: option '--out <dir>' is required (or --schedule)");
    const repair = await cli('reconcile', '--out', '/tmp/x', '--repair', 'everything');
    expect(repair.code).toBe(2);
    expect(repair.out).toMatch(/^error: option '--repair <classes>' argument 'everything' is invalid\. .*unknown drift class "everything"/);
    expect(repair.out.split('\n')).toHaveLength(1);
  });

  it('reads the validated configuration: a bad variable is named in one line, exit 1, never with a credential', async () => {
    vi.stubEnv('HUBSPOT_ACCESS_TOKEN', 'pat-secret-value-123');
    vi.stubEnv('HUBSPOT_PORTAL_ID', 'not-a-number');
    const { code, out } = await cli('reconcile', '--out', '/tmp/x');
    expect(code).toBe(1);
    expect(out).toContain('HUBSPOT_PORTAL_ID: must be the numeric HubSpot portal (hub) id');
    expect(out).not.toContain('pat-secret-value-123');
    expect(out.split('\n')).toHaveLength(1);
  });

  it('shows paging progress across both systems, then the phase', () => {
    const line = progressLine({ runId: 'r', phase: 'salesforce', hubspot: { read: 1000, total: 1000 }, salesforce: { read: 0, total: 1000 } });
    expect(line).toMatch(/^\[#{15}-{15}\]  50%  HubSpot 1000\/1000  Salesforce 0\/1000  salesforce$/);
    expect(progressLine({ runId: 'r', phase: 'report', hubspot: { read: 5, total: 5 }, salesforce: { read: 5, total: 5 } })).toContain('100%');
  });
});
