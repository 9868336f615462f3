/**
 * A long-running bridge process from the environment: validated config (one error listing every
 * problem), JSON logs, and a graceful stop on SIGTERM/SIGINT that drains in-flight work.
 */
import { resolve } from 'node:path';
import { ConfigError, loadConfig, type HandoffMode } from './config';
import { startBridge } from './bridge';
import { createLogger } from './logger';

export async function serveBridge(mode?: HandoffMode): Promise<number> {
  let config;
  try {
    config = loadConfig(mode ? { ...process.env, HANDOFF_MODE: mode } : process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    return 1;
  }
  const logger = createLogger({ level: config.logLevel });
  const bridge = await startBridge({
    config,
    logger,
    taskQueue: config.taskQueue,
    reportDir: resolve(config.reportDir),
  });
  logger.info({ mode: config.mode, crmMode: config.crmMode, http: bridge.ingressUrl, portalId: bridge.portalId }, 'handoff-bridge started');

  const stopped = new Promise<void>((resolveStop) => {
    const stop = (signal: string) => {
      logger.info({ signal }, 'draining: finishing in-flight tasks before exit');
      bridge.stop().then(resolveStop, (err: unknown) => {
        logger.error({ err }, 'error while stopping');
        resolveStop();
      });
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  await Promise.race([stopped, bridge.finished.then(() => stopped)]);
  logger.info('handoff-bridge stopped');
  return 0;
}
