import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { createLogger, REDACTED, temporalLoggerFor } from '../worker/logger';
import { workflowBundleOptions } from '../worker/workflow-bundle-options';

const EMAIL = 'jane.doe@acme-example.com';

function collectingLogger(level: 'info' | 'debug' = 'info') {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const logger = createLogger({ level, destination });
  return { logger, lines, records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('logger', () => {
  it('never writes an email address, wherever it hides', () => {
    const { logger, lines } = collectingLogger();
    logger.info({ contact: { properties: { email: EMAIL, firstname: 'Jane' } } }, 'contact read');
    logger.info({ batch: [{ inputs: [{ note: `write to ${EMAIL}` }] }] }, 'batch');
    logger.info(`sent alert to ${EMAIL}`);
    logger.error(new Error(`HubSpot said: contact ${EMAIL} is invalid`));
    logger.child({ who: EMAIL }).warn('child bindings');
    expect(lines).toHaveLength(5);
    for (const line of lines) expect(line).not.toContain(EMAIL);
  });

  it('redacts secrets, auth headers and names in nested objects by key', () => {
    const { logger, records } = collectingLogger();
    logger.info(
      {
        request: { headers: { Authorization: 'Bearer abc.def', 'x-hubspot-signature-v3': 'sig' } },
        hubspot: { accessToken: 'pat-na1-123', client_secret: 'cs' },
        lead: { FirstName: 'Jane', LastName: 'Doe', Phone: '+1 555', owner: { name: 'Rep Person' } },
        workflowId: 'handoff:123:456',
      },
      'call',
    );
    const [record] = records();
    expect(record).toMatchObject({
      request: { headers: { Authorization: REDACTED } },
      hubspot: { accessToken: REDACTED, client_secret: REDACTED },
      lead: { FirstName: REDACTED, LastName: REDACTED, Phone: REDACTED, owner: { name: REDACTED } },
      workflowId: 'handoff:123:456',
      msg: 'call',
      level: 'info',
    });
  });

  it('masks bearer credentials inside free text', () => {
    const { logger, lines } = collectingLogger();
    logger.warn('upstream rejected Authorization: Bearer eyJhbGciOi.secret.part');
    expect(lines[0]).not.toContain('eyJhbGciOi');
  });
});

describe('temporalLoggerFor', () => {
  it('maps Temporal levels onto pino and drops symbol metadata', () => {
    const { logger, records } = collectingLogger('debug');
    const temporal = temporalLoggerFor(logger);
    temporal.warn('Worker state changed', { state: 'DRAINING', [Symbol.for('log_timestamp')]: 1n, sdkComponent: 'worker' });
    temporal.log('ERROR', 'activity failed', { activityType: 'notify', email: EMAIL });
    temporal.trace('too detailed');
    expect(records()).toEqual([
      expect.objectContaining({ level: 'warn', msg: 'Worker state changed', state: 'DRAINING', sdkComponent: 'worker' }),
      expect.objectContaining({ level: 'error', msg: 'activity failed', activityType: 'notify', email: REDACTED }),
    ]);
  });

  it("routes the workflow bundler's webpack report through pino at debug", async () => {
    const { logger, records } = collectingLogger('debug');
    await bundleWorkflowCode(
      workflowBundleOptions({ workflowsPath: fileURLToPath(new URL('../workflows/canary.ts', import.meta.url)), logger: temporalLoggerFor(logger) }),
    );
    const all = records();
    const report = all.filter((r) => typeof r.msg === 'string' && /webpack \d+\.\d+\.\d+ compiled/.test(r.msg));
    expect(report.length).toBeGreaterThan(0);
    expect(report.every((r) => r.level === 'debug')).toBe(true);
    expect(all.find((r) => r.msg === 'Workflow bundle created')?.level).toBe('debug');
    expect(all.some((r) => r.level === 'info')).toBe(false);
  });
});
