/**
 * A long-running bridge process from the environment: validated config (one error listing every
 * problem), JSON logs, and a graceful stop on SIGTERM/SIGINT that drains in-flight work.
 */
import { resolve } from 'node:path';
import { defaultContractPath, loadContractWithSource } from '../mappings/load';
import { ConfigError, loadConfig, type BridgeConfig, type HandoffMode } from './config';
import { crmConnectionsFrom } from './crm-connections';
import { checkContractLive, metadataOptionsFrom } from './live-check';
import { startBridge } from './bridge';
import { createLogger } from './logger';

export interface ServeOptions {
  /** Start even when the contract does not match the CRMs (`--allow-drift`). */
  allowDrift?: boolean;
}

/**
 * Before any handoff runs, the contract is checked against the CRMs (as `sla check --live`): errors
 * mean every lead would fail at the same step, so the worker does not start. Returns the message.
 */
async function driftRefusal(config: BridgeConfig): Promise<string | undefined> {
  const parsed = loadContractWithSource(config.contractPath ?? defaultContractPath());
  let result;
  try {
    result = await checkContractLive(parsed, metadataOptionsFrom(crmConnectionsFrom(config)));
  } catch (err) {
    return `could not read the CRMs' configuration to check the contract: ${err instanceof Error ? err.message : String(err)}\nrefusing to start (--allow-drift or HANDOFF_ALLOW_DRIFT=1 starts anyway)`;
  }
  if (result.errors === 0) {
    for (const line of result.lines.slice(0, -1)) console.error(line);
    return undefined;
  }
  return [...result.lines, `refusing to start: the contract does not match the CRMs (fix the findings above, or --allow-drift / HANDOFF_ALLOW_DRIFT=1 to start anyway)`].join('\n');
}

export async function serveBridge(mode?: HandoffMode, options: ServeOptions = {}): Promise<number> {
  let config;
  try {
    config = loadConfig(mode ? { ...process.env, HANDOFF_MODE: mode } : process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    return 1;
  }
  if (config.mode !== 'ingress' && !(config.allowDrift || options.allowDrift)) {
    const refusal = await driftRefusal(config);
    if (refusal) {
      console.error(refusal);
      return 1;
    }
  }
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

/** `worker` / `serve` from the command line: `--allow-drift` is their one option. */
export function serveFromArgs(command: string, mode: HandoffMode | undefined, args: readonly string[]): Promise<number> {
  const unknown = args.filter((a) => a !== '--allow-drift');
  if (unknown.length > 0) {
    console.error(`unknown option "${unknown[0] ?? ''}"\nusage: handoff-bridge ${command} [--allow-drift]`);
    return Promise.resolve(2);
  }
  return serveBridge(mode, { allowDrift: args.includes('--allow-drift') });
}
