/**
 * The process-wide Temporal Runtime, installed once before any connection or worker exists: SDK,
 * workflow and activity logs, and Core's native logs, come out through the bridge's pino logger (so
 * they are JSON and redacted like every other line), and the Runtime's Prometheus exporter listens
 * next to METRICS_PORT when a metrics port is given.
 */
import { Runtime, type TelemetryOptions } from '@temporalio/worker';
import type { Logger } from 'pino';
import { temporalLoggerFor } from './logger';
import { temporalTelemetryOptions } from './metrics';

export interface InstallRuntimeOptions {
  logger: Logger;
  /** METRICS_PORT; the Runtime's exporter then binds 127.0.0.1:<port + 1>. No Runtime metrics when unset. */
  metricsPort?: number;
}

/** Core's WARN and above forwarded to the Runtime logger, as with metrics (temporalTelemetryOptions). */
const LOG_FORWARDING_ONLY: TelemetryOptions = { logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} } };

let installed: { metricsPort?: number } | undefined;

/**
 * Installs the Runtime on the first call and returns it on later ones. The Runtime is one per
 * process, so a later call asking for a different metrics port is an error rather than a silent
 * no-op (its caller would scrape a port nobody listens on); the first call's logger stays.
 */
export function installRuntime(options: InstallRuntimeOptions): Runtime {
  if (installed) {
    if (installed.metricsPort !== options.metricsPort) {
      throw new Error(
        `the Temporal Runtime is already installed with metrics port ${installed.metricsPort ?? 'none'}; it cannot change to ${options.metricsPort ?? 'none'} in the same process`,
      );
    }
    // After its last connection closes the SDK shuts the Runtime down; instance() recreates it with the installed options.
    return Runtime.instance();
  }
  const runtime = Runtime.install({
    logger: temporalLoggerFor(options.logger),
    // The bridge's callers own SIGTERM/SIGINT (serve.ts, the demo): they drain the workers in order
    // (see createBridgeWorkers' shutdown), which the Runtime's own handler, stopping all at once, would not.
    shutdownSignals: [],
    telemetryOptions: options.metricsPort === undefined ? LOG_FORWARDING_ONLY : temporalTelemetryOptions(options.metricsPort),
  });
  installed = { metricsPort: options.metricsPort };
  return runtime;
}
