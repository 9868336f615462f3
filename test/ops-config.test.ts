import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_WORKFLOW_CACHE_SIZE, loadClientConfig, loadConfig } from '../worker/config';

const SIGNING = 's'.repeat(40);
const KEY = Buffer.alloc(32, 7).toString('base64');

function problemsOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies the documented defaults and picks sandbox mode without CRM credentials', () => {
    const config = loadConfig({ LINK_SIGNING_SECRET: SIGNING });
    expect(config).toMatchObject({
      mode: 'all',
      crmMode: 'sandbox',
      temporal: { address: '127.0.0.1:7233', namespace: 'default' },
      ingress: { port: 8787, publicUrl: 'http://127.0.0.1:8787' },
      hubspot: { baseUrl: 'https://api.hubapi.com', callsPer10Seconds: 150 },
      salesforce: { loginUrl: 'https://login.salesforce.com', apiVersion: '62.0', callsPerSecond: 20 },
      codec: { keys: [] },
      metrics: { port: 9464 },
      logLevel: 'info',
      workflowCacheSize: DEFAULT_WORKFLOW_CACHE_SIZE,
    });
  });

  it('bounds the workflow cache by WORKFLOW_CACHE_SIZE: 0 turns it off, 1 and fractions are refused', () => {
    expect(DEFAULT_WORKFLOW_CACHE_SIZE).toBeGreaterThanOrEqual(2);
    expect(loadConfig({ LINK_SIGNING_SECRET: SIGNING, WORKFLOW_CACHE_SIZE: '250' }).workflowCacheSize).toBe(250);
    expect(loadConfig({ LINK_SIGNING_SECRET: SIGNING, WORKFLOW_CACHE_SIZE: '0' }).workflowCacheSize).toBe(0);
    for (const bad of ['1', '-5', '2.5', 'lots']) {
      expect(problemsOf({ LINK_SIGNING_SECRET: SIGNING, WORKFLOW_CACHE_SIZE: bad }), bad).toMatch(/WORKFLOW_CACHE_SIZE: must be/);
    }
  });

  it('reads the CRM call budgets and refuses ones that are not positive numbers of calls', () => {
    const config = loadConfig({ LINK_SIGNING_SECRET: SIGNING, HUBSPOT_CALLS_PER_10_SECONDS: '75', SALESFORCE_CALLS_PER_SECOND: '2.5' });
    expect(config.hubspot.callsPer10Seconds).toBe(75);
    expect(config.salesforce.callsPerSecond).toBe(2.5);
    expect(problemsOf({ LINK_SIGNING_SECRET: SIGNING, HUBSPOT_CALLS_PER_10_SECONDS: '0' })).toMatch(/HUBSPOT_CALLS_PER_10_SECONDS: must be a positive number of calls per 10 seconds/);
    expect(problemsOf({ LINK_SIGNING_SECRET: SIGNING, HUBSPOT_CALLS_PER_10_SECONDS: '7.5' })).toMatch(/HUBSPOT_CALLS_PER_10_SECONDS: must be a whole number/);
    expect(problemsOf({ LINK_SIGNING_SECRET: SIGNING, SALESFORCE_CALLS_PER_SECOND: 'fast' })).toMatch(/SALESFORCE_CALLS_PER_SECOND: must be a number/);
    expect(problemsOf({ LINK_SIGNING_SECRET: SIGNING, SALESFORCE_CALLS_PER_SECOND: '-1' })).toMatch(/SALESFORCE_CALLS_PER_SECOND: must be a positive number of calls per second/);
  });

  it('reads the worker lanes a process serves, all of them by default', () => {
    expect(loadConfig({ LINK_SIGNING_SECRET: SIGNING }).lanes).toBe('all');
    expect(loadConfig({ LINK_SIGNING_SECRET: SIGNING, HANDOFF_WORKER_LANES: 'hot' }).lanes).toBe('hot');
    expect(problemsOf({ LINK_SIGNING_SECRET: SIGNING, HANDOFF_WORKER_LANES: 'fast' })).toMatch(/HANDOFF_WORKER_LANES: must be all, main or hot/);
  });

  it('lists every wrong variable by name in one error', () => {
    const message = problemsOf({
      LINK_SIGNING_SECRET: 'too-short',
      HANDOFF_MODE: 'both',
      INGRESS_PORT: 'eighty',
      METRICS_PORT: '70000',
      CODEC_KEYS: `k1:${Buffer.alloc(16).toString('base64')}`,
      LOG_LEVEL: 'loud',
    });
    for (const name of ['LINK_SIGNING_SECRET', 'HANDOFF_MODE', 'INGRESS_PORT', 'METRICS_PORT', 'CODEC_KEYS', 'LOG_LEVEL']) {
      expect(message).toContain(`${name}:`);
    }
  });

  it('names a missing required variable', () => {
    expect(problemsOf({})).toMatch(/LINK_SIGNING_SECRET: is required/);
  });

  it('never echoes a secret value in its error', () => {
    const secretValues = {
      LINK_SIGNING_SECRET: 'hunter2-short',
      SLACK_WEBHOOK_URL: 'not a url T000/B000/XXXXsecretXXXX',
      CODEC_KEYS: 'k1:c2VjcmV0LWtleS1tYXRlcmlhbA==',
      CODEC_AUTH_TOKEN: 'tok-abc',
      HUBSPOT_ACCESS_TOKEN: 'pat-na1-very-secret',
    };
    const message = problemsOf(secretValues);
    for (const value of Object.values(secretValues)) expect(message).not.toContain(value);
    expect(message).toContain('SLACK_WEBHOOK_URL:');
    expect(message).toContain('CODEC_AUTH_TOKEN:');
  });

  it('refuses a half-configured live mode, naming what is missing alongside other problems', () => {
    const message = problemsOf({ LINK_SIGNING_SECRET: SIGNING, HUBSPOT_ACCESS_TOKEN: 'pat-x', INGRESS_PORT: '0' });
    for (const name of ['INGRESS_PORT', 'HUBSPOT_PORTAL_ID', 'HUBSPOT_CLIENT_SECRET', 'SALESFORCE_INSTANCE_URL', 'SALESFORCE_CLIENT_ID', 'CODEC_KEYS']) {
      expect(message).toContain(`${name}:`);
    }
  });

  /** A complete live environment but for the codec's keys and token. */
  const LIVE_CRM = {
    LINK_SIGNING_SECRET: SIGNING,
    HUBSPOT_ACCESS_TOKEN: 'pat-x',
    HUBSPOT_PORTAL_ID: '123456',
    HUBSPOT_CLIENT_SECRET: 'client-secret',
    SALESFORCE_INSTANCE_URL: 'https://acme.my.salesforce.com/',
    SALESFORCE_ACCESS_TOKEN: '00D!token',
  };

  it('runs live when every CRM credential and the codec keys are set', () => {
    const config = loadConfig({
      ...LIVE_CRM,
      CODEC_KEYS: `new:${KEY}, old:${Buffer.alloc(32, 1).toString('base64')}`,
      CODEC_AUTH_TOKEN: 'codec-token-0123456789',
      HANDOFF_MODE: 'worker',
    });
    expect(config.crmMode).toBe('live');
    expect(config.mode).toBe('worker');
    expect(config.salesforce.instanceUrl).toBe('https://acme.my.salesforce.com');
    expect(config.codec.keys.map((k) => k.id)).toEqual(['new', 'old']);
    expect(config.codec.keys[0]?.key.equals(Buffer.alloc(32, 7))).toBe(true);
  });

  it('requires CODEC_AUTH_TOKEN in live mode: without it the codec would trust any loopback caller', () => {
    const live = { ...LIVE_CRM, CODEC_KEYS: `k:${KEY}` };
    expect(problemsOf(live)).toMatch(/CODEC_AUTH_TOKEN: is required in live mode/);
    expect(loadConfig({ ...live, CODEC_AUTH_TOKEN: 'codec-token-0123456789' }).codec.authToken).toBe('codec-token-0123456789');
    // Sandbox mode keeps the loopback-only codec for a local UI.
    expect(loadConfig({ LINK_SIGNING_SECRET: SIGNING }).codec.authToken).toBeUndefined();
  });

  it('reads CODEC_CORS_ORIGINS and the HTTP timeouts (10 s headers, 30 s request by default), refusing bad values by name', () => {
    const defaults = loadConfig({ LINK_SIGNING_SECRET: SIGNING });
    expect(defaults.http).toEqual({ headersTimeoutMs: 10_000, requestTimeoutMs: 30_000 });
    expect(defaults.codec.corsOrigins).toBeUndefined();
    const set = loadConfig({
      LINK_SIGNING_SECRET: SIGNING,
      CODEC_CORS_ORIGINS: 'https://temporal.example.com, http://localhost:8233',
      HTTP_HEADERS_TIMEOUT_SECONDS: '5',
      HTTP_REQUEST_TIMEOUT_SECONDS: '20',
    });
    expect(set.codec.corsOrigins).toEqual(['https://temporal.example.com', 'http://localhost:8233']);
    expect(set.http).toEqual({ headersTimeoutMs: 5_000, requestTimeoutMs: 20_000 });
    const problems = problemsOf({ LINK_SIGNING_SECRET: SIGNING, CODEC_CORS_ORIGINS: 'https://ui.example.com/path', HTTP_REQUEST_TIMEOUT_SECONDS: '0' });
    expect(problems).toMatch(/CODEC_CORS_ORIGINS: "https:\/\/ui.example.com\/path" is not an origin/);
    expect(problems).toMatch(/HTTP_REQUEST_TIMEOUT_SECONDS: must be 1-300 seconds/);
  });

  it('treats blank values as unset', () => {
    const config = loadConfig({ LINK_SIGNING_SECRET: SIGNING, HUBSPOT_ACCESS_TOKEN: '', INGRESS_PORT: ' ' });
    expect(config.crmMode).toBe('sandbox');
    expect(config.ingress.port).toBe(8787);
  });

  it('refuses a duplicated codec key id', () => {
    expect(problemsOf({ LINK_SIGNING_SECRET: SIGNING, CODEC_KEYS: `a:${KEY},a:${KEY}` })).toMatch(/CODEC_KEYS: key id "a" appears twice/);
  });
});

describe('loadClientConfig', () => {
  it("reads address, namespace and codec keys without the worker's secrets", () => {
    const config = loadClientConfig({ TEMPORAL_ADDRESS: 'temporal:7233', CODEC_KEYS: `k1:${KEY}` });
    expect(config.temporal).toEqual({ address: 'temporal:7233', namespace: 'default' });
    expect(config.codec.keys.map((k) => k.id)).toEqual(['k1']);
  });

  it('still refuses malformed codec keys', () => {
    expect(() => loadClientConfig({ CODEC_KEYS: 'k1:short' })).toThrow(/CODEC_KEYS: key "k1" must be 32 bytes/);
  });
});
