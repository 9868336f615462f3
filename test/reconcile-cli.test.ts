/** `handoff-bridge reconcile`: refuses bad usage before touching anything, and draws its progress line. */
import { describe, expect, it, vi } from 'vitest';
import { run } from '../worker/commands/reconcile';
import { progressLine } from '../worker/report/progress-bar';

describe('the reconcile command', () => {
  it('exits 2 with the usage when --out is missing or the repair policy names an unknown class', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(await run([])).toBe(2);
      expect(String(errors.mock.calls[0]?.[0])).toContain('--out <dir> is required');
      const env = { HUBSPOT_ACCESS_TOKEN: 't', HUBSPOT_PORTAL_ID: '1', SALESFORCE_INSTANCE_URL: 'http://127.0.0.1:1', SALESFORCE_ACCESS_TOKEN: 's' };
      vi.stubEnv('HUBSPOT_ACCESS_TOKEN', env.HUBSPOT_ACCESS_TOKEN);
      vi.stubEnv('HUBSPOT_PORTAL_ID', env.HUBSPOT_PORTAL_ID);
      vi.stubEnv('SALESFORCE_INSTANCE_URL', env.SALESFORCE_INSTANCE_URL);
      vi.stubEnv('SALESFORCE_ACCESS_TOKEN', env.SALESFORCE_ACCESS_TOKEN);
      expect(await run(['--out', '/tmp/x', '--repair', 'everything'])).toBe(2);
      expect(String(errors.mock.calls[1]?.[0])).toContain('unknown drift class "everything"');
    } finally {
      vi.unstubAllEnvs();
      errors.mockRestore();
    }
  });

  it('never prints a credential when the environment is incomplete', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    vi.stubEnv('HUBSPOT_ACCESS_TOKEN', 'pat-secret-value-123');
    vi.stubEnv('HUBSPOT_PORTAL_ID', 'not-a-number');
    try {
      expect(await run(['--out', '/tmp/x'])).toBe(2);
      const printed = errors.mock.calls.map((c) => String(c[0])).join('\n');
      expect(printed).toContain('HUBSPOT_PORTAL_ID: must be the numeric portal id');
      expect(printed).not.toContain('pat-secret-value-123');
    } finally {
      vi.unstubAllEnvs();
      errors.mockRestore();
    }
  });

  it('shows paging progress across both systems, then the phase', () => {
    const line = progressLine({ runId: 'r', phase: 'salesforce', hubspot: { read: 1000, total: 1000 }, salesforce: { read: 0, total: 1000 } });
    expect(line).toMatch(/^\[#{15}-{15}\]  50%  HubSpot 1000\/1000  Salesforce 0\/1000  salesforce$/);
    expect(progressLine({ runId: 'r', phase: 'report', hubspot: { read: 5, total: 5 }, salesforce: { read: 5, total: 5 } })).toContain('100%');
  });
});
