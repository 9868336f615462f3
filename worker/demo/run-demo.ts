/**
 * `npm start` without CRM credentials: the embedded Temporal dev server, both sandboxes and the
 * emulated connector, the whole bridge (worker and ingress, one process), and a simulated pipeline on
 * a compressed-clock contract, with a live progress display. Once every planned lead has its outcome
 * it writes the reconciliation report and the SLA document, prints where everything is, and serves
 * the UI and dashboard until Ctrl-C (or exits, with HANDOFF_DEMO_EXIT=1).
 */
import { randomInt } from 'node:crypto';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { Client, Connection } from '@temporalio/client';
import { dataConverterFor } from '../codec';
import { startBridge } from '../bridge';
import { createLogger } from '../logger';
import { buildDemoContract } from './demo-contract';
import { loadDemoConfig } from './demo-config';
import { startDemoPortal } from './demo-crms';
import { DEMO_CONTRACT_FILE, DEMO_SUMMARY_FILE, reconcileDemo, writeJson, writeSlaDocument } from './finale';
import { startChatListener } from './chat-listener';
import { clearEarlierDemoRuns } from './leftovers';
import { planLeads } from './lead-plan';
import { startLocalTemporal } from './local-temporal';
import { allReached, readPipeline, tallyOutcomes, type PipelineSnapshot } from './pipeline-snapshot';
import { startProgressDisplay } from './progress-display';
import type { ProgressFigures } from './progress-view';
import { finalScreen, selfCheck, startupScreen } from './screens';
import { startSimulatedReps } from './simulated-reps';
import { createTraffic } from './traffic';

export const BRIDGE_LOG_FILE = 'bridge.log';

function sum(counts: Record<string, number>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

/** Resolves on the first SIGINT or SIGTERM; the handlers go once it has. */
function interruption(): { signalled: Promise<string>; dispose(): void } {
  let dispose = () => undefined as void;
  const signalled = new Promise<string>((resolveSignal) => {
    const on = (signal: string) => () => resolveSignal(signal);
    const onInt = on('SIGINT');
    const onTerm = on('SIGTERM');
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
    dispose = () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    };
  });
  return { signalled, dispose: () => dispose() };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function runDemo(out: Writable & { isTTY?: boolean }, env: Record<string, string | undefined> = process.env): Promise<number> {
  const say = (line = '') => out.write(`${line}\n`);
  const { settings, config } = loadDemoConfig(env);
  const reportDir = resolve(config.reportDir);
  mkdirSync(reportDir, { recursive: true });
  const logFile = join(settings.dataDir, BRIDGE_LOG_FILE);
  const logger = createLogger({ level: config.logLevel, destination: createWriteStream(logFile, { flags: 'a' }) });
  const interrupt = interruption();
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop();
  };

  try {
    say('handoff-bridge: sandbox demo (no CRM credentials in the environment). Starting…');
    const server = await startLocalTemporal({
      dataDir: settings.dataDir,
      port: settings.temporalPort,
      uiPort: settings.temporalUiPort,
      ...(config.codec.keys.length ? { uiCodecEndpoint: `${config.ingress.publicUrl}/codec` } : {}),
      onProgress: say,
    });
    stops.push(() => server.stop());
    // With the codec: listing workflows decodes their memos, which the handoffs encrypt.
    const client = new Client({
      connection: await Connection.connect({ address: server.address }),
      namespace: config.temporal.namespace,
      dataConverter: dataConverterFor(config.codec.keys),
    });
    stops.push(() => client.connection.close());
    const cleared = await clearEarlierDemoRuns(client, config.taskQueue);

    const demo = buildDemoContract({ windowMinutes: settings.windowMinutes, reassignLimit: settings.reassignLimit, syncSeconds: settings.syncSeconds });
    const contractFile = join(reportDir, DEMO_CONTRACT_FILE);
    writeFileSync(contractFile, demo.yaml);
    const chat = await startChatListener();
    stops.push(() => chat.close());
    const portalId = String(randomInt(100_000, 1_000_000));
    const portal = await startDemoPortal({
      contract: demo.contract,
      portalId,
      ports: settings.sandboxPorts,
      ingressUrl: config.ingress.publicUrl,
      chatUrl: chat.url,
      cycleMs: settings.syncSeconds * 1000,
    });
    stops.push(() => portal.sandboxes.stop());
    const { sandboxes, contract } = portal;

    const bridge = await startBridge({
      config: { ...config, temporal: { ...config.temporal, address: server.address }, hubspot: { ...config.hubspot, portalId } },
      logger,
      taskQueue: config.taskQueue,
      sandboxUrls: { hubspot: sandboxes.hubspot.baseUrl, salesforce: sandboxes.salesforce.instanceUrl },
      reportDir,
      // Reps accept in Salesforce within seconds here: the watcher must notice as fast.
      watchInterval: '2 seconds',
      contract,
      listenHost: '127.0.0.1',
      uiOrigins: [server.uiUrl, server.uiUrl.replace('127.0.0.1', 'localhost')],
    });
    stops.push(() => bridge.stop());

    const plan = planLeads(contract, { leads: settings.leads, seed: settings.seed });
    const traffic = createTraffic({ store: sandboxes.hubspot.store, plan, paceMs: settings.paceMs, seed: settings.seed });
    const reps = startSimulatedReps({
      contract,
      chat,
      plan,
      contactIds: traffic.contactIds,
      hubspot: sandboxes.hubspot.store,
      salesforce: sandboxes.salesforce.store,
      linkSecret: config.linkSigningSecret,
      seed: settings.seed,
    });
    stops.push(async () => {
      traffic.stop();
      reps.stop();
      await reps.idle();
    });

    const screen = { uiUrl: server.uiUrl, namespace: config.temporal.namespace, ingressUrl: bridge.ingressUrl, portalId, dataDir: settings.dataDir, logFile, contractFile, settings };
    for (const line of startupScreen({ ...screen, sandboxes, chatUrl: chat.url, plan, cleared, contract, encrypted: config.codec.keys.length > 0 })) say(line);

    const startedAt = Date.now();
    let snapshot: PipelineSnapshot = { handoffs: [], byStage: {} };
    const figures = async (): Promise<ProgressFigures> => ({
      elapsedMs: Date.now() - startedAt,
      leads: { released: traffic.released(), total: plan.length },
      byStage: snapshot.byStage,
      chat: chat.counts(),
      reps: reps.activity(),
      crmCalls: { hubspot: sum(sandboxes.hubspot.requests.all()), salesforce: sum(sandboxes.salesforce.requests.all()) },
      connector: sandboxes.connector?.stats() ?? { cycles: 0, leadsCreated: 0 },
      outcomes: tallyOutcomes(plan, traffic.contactIds, snapshot),
    });
    const display = startProgressDisplay({ figures, out });
    const releasing = traffic.run();

    // The slowest lead misses every window (one per assignment) and then waits for two read-backs.
    const windows = (contract.handoff.reassignLimit + 1) * contract.handoff.acceptanceWindowBusinessMinutes * 60_000;
    const patience = plan.length * settings.paceMs + windows + 4 * contract.handoff.readBackAfterMinutes * 60_000 + 3 * 60_000;
    let interrupted = false;
    void interrupt.signalled.then(() => (interrupted = true));
    while (!interrupted && Date.now() - startedAt < patience) {
      try {
        snapshot = await readPipeline(client, portalId);
      } catch (err) {
        // Visibility briefly unavailable: the next poll will tell; the log says why.
        logger.warn({ err }, 'demo: reading the pipeline from visibility failed');
      }
      if (traffic.released() === plan.length && allReached(tallyOutcomes(plan, traffic.contactIds, snapshot))) break;
      await Promise.race([sleep(1_000), interrupt.signalled]);
    }
    await display.stop();
    traffic.stop();
    await releasing;
    const tally = tallyOutcomes(plan, traffic.contactIds, snapshot);
    const complete = allReached(tally);
    if (interrupted) {
      say('Interrupted: stopping.');
      return 130;
    }

    say(complete ? 'Every planned lead reached its outcome. Reconciling HubSpot and Salesforce…' : 'Not every planned lead reached its outcome in time (see above). Reconciling anyway…');
    const report = await reconcileDemo(bridge.client, { portalId, taskQueue: config.taskQueue });
    const slaDocument = writeSlaDocument(reportDir, contract, new Date());
    const summaryFile = writeJson(join(reportDir, DEMO_SUMMARY_FILE), {
      portalId,
      finishedAt: new Date().toISOString(),
      complete,
      outcomes: tally,
      stages: snapshot.byStage,
      chat: chat.counts(),
      reps: reps.activity(),
      crmCalls: (await figures()).crmCalls,
      report: { directory: report.reportDirectory, files: report.files, commitmentsMet: report.commitmentsMet, commitmentsMeasured: report.commitmentsMeasured },
      slaDocument,
    });
    for (const line of finalScreen({ ...screen, report, slaDocument, summaryFile, now: new Date() })) say(line);

    if (settings.exitWhenDone) {
      const checks = await selfCheck({ uiUrl: server.uiUrl, dashboardUrl: `${bridge.ingressUrl}/dashboard` });
      for (const check of checks) say(`  check: ${check.name} ${check.url} answered HTTP ${check.status}`);
      return complete && checks.every((c) => c.status === 200) ? 0 : 1;
    }
    say('Still serving the Web UI and the dashboard. Ctrl-C stops everything.');
    await interrupt.signalled;
    return 0;
  } finally {
    interrupt.dispose();
    await stopAll();
    await new Promise<void>((r) => logger.flush(() => r()));
  }
}
