/**
 * installRuntime in a process of its own (the test processes already install a quiet Runtime, and
 * the Runtime is one per process): the SDK's log lines come out as the bridge's pino JSON, redacted,
 * and the Runtime's Prometheus exporter answers next to the metrics port.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';
import { quietPort } from '../worker/dev-server';

interface LogLine {
  level: string;
  time: string;
  service: string;
  msg: string;
  [key: string]: unknown;
}

async function runChild(): Promise<LogLine[]> {
  // The exporter binds metricsPort + 1 (nothing listens on metricsPort itself here): both free, below the
  // ephemeral range, since the child binds seconds later.
  const metricsPort = await quietPort(1);
  const script = `
    import { NativeConnection, Runtime } from '@temporalio/worker';
    import { createCanaryActivities } from './activities/canary.ts';
    import { createBridgeWorker } from './worker/create-worker.ts';
    import { createLogger } from './worker/logger.ts';
    import { installRuntime } from './worker/runtime.ts';

    const logger = createLogger({ destination: process.stdout, base: { service: 'runtime-test' } });
    const first = installRuntime({ logger, metricsPort: ${metricsPort} });
    const again = installRuntime({ logger, metricsPort: ${metricsPort} });
    let refused = '';
    try { installRuntime({ logger }); } catch (err) { refused = err.message; }
    logger.info({ sameRuntime: first === again, refused }, 'install checks');

    Runtime.instance().logger.info('alert for jane.doe@example.com', { email: 'jane.doe@example.com', contactId: '42' });

    const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS });
    const worker = await createBridgeWorker({
      connection, taskQueue: 'runtime-log-' + process.pid, activitiesOnly: true, activities: createCanaryActivities(),
    });
    await worker.runUntil(new Promise((resolve) => setTimeout(resolve, 300)));
    const exported = await (await fetch('http://127.0.0.1:${metricsPort + 1}/metrics')).text();
    logger.info({ exporterServesTemporalMetrics: /^temporal_/m.test(exported) }, 'metrics check');
    await connection.close();
  `;
  const tsx = new URL('../node_modules/.bin/tsx', import.meta.url).pathname;
  const { stdout } = await promisify(execFile)(tsx, ['--input-type=module', '-e', script], {
    cwd: new URL('..', import.meta.url).pathname,
    env: { ...process.env, TEMPORAL_ADDRESS: inject('temporalAddress') },
    timeout: 45_000,
  });
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as LogLine);
}

describe('installRuntime', () => {
  it('routes the Runtime\'s logs into pino JSON, redacted, installs once, and exports Temporal metrics', async () => {
    // Every stdout line must parse: nothing the Runtime writes bypasses pino.
    const lines = await runChild();

    const stateChanges = lines.filter((l) => l.msg === 'Worker state changed');
    expect(stateChanges.map((l) => l.state)).toEqual(expect.arrayContaining(['RUNNING', 'STOPPED']));
    for (const line of stateChanges) {
      expect(line).toMatchObject({ level: 'info', service: 'runtime-test', sdkComponent: 'worker' });
      expect(new Date(line.time).toISOString()).toBe(line.time);
    }

    const alert = lines.find((l) => l.msg.startsWith('alert for'));
    expect(alert).toMatchObject({ msg: 'alert for [email]', email: '[redacted]', contactId: '42', level: 'info' });

    expect(lines.find((l) => l.msg === 'install checks')).toMatchObject({
      sameRuntime: true,
      refused: expect.stringContaining('already installed') as unknown,
    });
    expect(lines.find((l) => l.msg === 'metrics check')).toMatchObject({ exporterServesTemporalMetrics: true });
  });
});
