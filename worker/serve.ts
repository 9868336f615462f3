/**
 * A long-running bridge process from the environment: validated config (one error listing every
 * problem), JSON logs, and a graceful stop on SIGTERM/SIGINT that drains in-flight work.
 */
import { resolve } from 'node:path';
import { loadConfig, type HandoffMode } from './config';
import { startBridge } from './bridge';
import { createLogger } from './logger';

export async function serveBridge(mode?: HandoffMode): Promise<number> {
  // A bad environment throws ConfigError naming every variable: the CLI's boundary prints it.
  const config = loadConfig(mode ? { ...process.env, HANDOFF_MODE: mode } : process.env);
  const logger = createLogger({ level: config.logLevel });
  const bridge = await startBridge({
    config,
    logger,
    taskQueue: config.taskQueue,
    reportDir: resolve(config.reportDir),
  });
  logger.info({ mode: config.mode, crmMode: config.crmMode, http: bridge.ingressUrl, portalId: bridge.portalId }, 'handoff-bridge started');

  // The handlers stay until the drain is over: a second signal must not kill a draining process
  // (nor may a wrapper such as tsx, which exits on a signal nobody listens to any more).
  let draining = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (draining) {
      logger.info({ signal }, 'already draining');
      return;
    }
    draining = true;
    logger.info({ signal }, 'draining: finishing in-flight tasks before exit');
    bridge.stop().then(resolveStop, (err: unknown) => {
      logger.error({ err }, 'error while stopping');
      resolveStop();
    });
  };
  let resolveStop: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (resolveStop = resolve));
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  try {
    await Promise.race([stopped, bridge.finished.then(() => stopped)]);
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
  logger.info('handoff-bridge stopped');
  return 0;
}
