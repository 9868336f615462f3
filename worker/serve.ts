/**
 * A long-running bridge process from the environment: validated config (one error listing every
 * problem), JSON logs, and a graceful stop on SIGTERM/SIGINT that drains in-flight work.
 */
import { resolve } from 'node:path';
import { defaultContractPath, loadContractWithSource } from '../mappings/load';
import type { Contract } from '../mappings/contract';
import { loadConfig, type BridgeConfig, type HandoffMode } from './config';
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
 * mean every lead would fail at the same step, so the worker does not start (unless drift is
 * allowed). Reps named by email only get their Salesforce User Id here, so the CRMs are read even
 * when drift is allowed if any rep needs one. Returns the contract to run, or why not to start.
 */
async function contractToRun(config: BridgeConfig, allowDrift: boolean): Promise<{ contract: Contract } | { refusal: string }> {
  const parsed = loadContractWithSource(config.contractPath ?? defaultContractPath());
  const needsIds = parsed.contract.routing.reps.some((rep) => rep.id === '');
  if (allowDrift && !needsIds) return { contract: parsed.contract };
  const override = '--allow-drift or HANDOFF_ALLOW_DRIFT=1 starts anyway';
  let result;
  try {
    result = await checkContractLive(parsed, metadataOptionsFrom(crmConnectionsFrom(config)));
  } catch (err) {
    // One line, as the CLI's boundary prints its failures: what could not be read, and what to do.
    const reason = `could not read the CRMs' configuration to check the contract (${err instanceof Error ? err.message : String(err)})`;
    return { refusal: `handoff-bridge: ${reason}; refusing to start (${needsIds ? 'reps named by email need their Salesforce User Id from the org' : override})` };
  }
  const unresolved = result.contract.routing.reps.filter((rep) => rep.id === '').map((rep) => rep.email);
  if (unresolved.length > 0) return { refusal: [...result.lines, `refusing to start: no active Salesforce user for ${unresolved.join(', ')}`].join('\n') };
  if (result.errors > 0 && !allowDrift) {
    return { refusal: [...result.lines, `refusing to start: the contract does not match the CRMs (fix the findings above; ${override})`].join('\n') };
  }
  for (const line of result.lines.slice(0, -1)) console.error(line);
  return { contract: result.contract };
}

export async function serveBridge(mode?: HandoffMode, options: ServeOptions = {}): Promise<number> {
  // A bad environment throws ConfigError naming every variable: the CLI's boundary prints it.
  const config = loadConfig(mode ? { ...process.env, HANDOFF_MODE: mode } : process.env);
  let contract: Contract | undefined;
  if (config.mode !== 'ingress') {
    const prepared = await contractToRun(config, config.allowDrift || options.allowDrift === true);
    if ('refusal' in prepared) {
      console.error(prepared.refusal);
      return 1;
    }
    contract = prepared.contract;
  }
  const logger = createLogger({ level: config.logLevel });
  const bridge = await startBridge({
    config,
    logger,
    taskQueue: config.taskQueue,
    reportDir: resolve(config.reportDir),
    ...(contract ? { contract } : {}),
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
