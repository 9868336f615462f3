/**
 * `handoff-bridge start`, which `npm start` runs. Without CRM credentials in the environment: the
 * sandbox demo (worker/demo/run-demo.ts) — the embedded Temporal dev server, both CRM sandboxes, the
 * whole bridge and a simulated pipeline. With credentials: the bridge against the real portals, no
 * sandboxes and no simulated traffic, on the embedded dev server unless TEMPORAL_ADDRESS names
 * another Temporal.
 */
import type { Command } from '@commander-js/extra-typings';
import { withExamples } from '../cli/declare';
import { exitWith } from '../cli/errors';
import { CRM_CREDENTIAL_VARIABLES, loadConfig } from '../config';
import { startLocalTemporal } from '../demo/local-temporal';
import { runDemo } from '../demo/run-demo';
import { loadDemoSettings } from '../demo/settings';
import { serveBridge } from '../serve';

export const summary = 'what npm start runs: the sandbox demo without CRM credentials, the live bridge with them';

async function runLive(): Promise<number> {
  // Refuse a bad environment before starting anything: one error listing every problem.
  const config = loadConfig();
  if (process.env.TEMPORAL_ADDRESS?.trim()) {
    console.log(`handoff-bridge: live mode against Temporal at ${config.temporal.address} (TEMPORAL_ADDRESS).`);
    return serveBridge();
  }
  const settings = loadDemoSettings();
  const server = await startLocalTemporal({
    dataDir: settings.dataDir,
    port: settings.temporalPort,
    uiPort: settings.temporalUiPort,
    ...(config.codec.keys.length ? { uiCodecEndpoint: `${config.ingress.publicUrl}/codec` } : {}),
    onProgress: (line) => console.log(line),
  });
  try {
    console.log(
      [
        'handoff-bridge: live mode (CRM credentials in the environment): real portals, no simulated traffic.',
        `  Temporal Web UI   ${server.uiUrl}   (embedded dev server, history in ${settings.dataDir})`,
        `  Bridge ingress    ${config.ingress.publicUrl}   webhooks, signed links, /codec, /dashboard`,
        'Ctrl-C drains in-flight work and stops.',
      ].join('\n'),
    );
    // serveBridge reads its whole configuration from the environment: point it at the server just started.
    process.env.TEMPORAL_ADDRESS = server.address;
    return await serveBridge();
  } finally {
    await server.stop();
  }
}

/** The demo without CRM credentials, the live bridge with them (errors reach the CLI's boundary). */
export async function start(): Promise<number> {
  const live = CRM_CREDENTIAL_VARIABLES.some((name) => process.env[name]?.trim());
  return live ? runLive() : runDemo(process.stdout);
}

export function register(program: Command): void {
  const command = program
    .command('start')
    .summary(summary)
    .description(`${summary}. Ctrl-C stops everything it started.`);
  withExamples(command, 'start', 'start   # with HUBSPOT_ACCESS_TOKEN etc. set: the live bridge');
  command.action(() => exitWith(start()));
}
