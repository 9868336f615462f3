/**
 * A process of its own (the Temporal Runtime is one per process, and the test process already has a
 * quiet one): installs the Runtime with the bridge's telemetry options, runs the handoff-counters
 * probe workflow on the dev server at TEMPORAL_ADDRESS, counts one HubSpot request on the bridge's
 * registry, and prints the bridge's /metrics page (its own metrics, then the Runtime's).
 */
import { fileURLToPath } from 'node:url';
import { Client } from '@temporalio/client';
import { NativeConnection, Runtime, Worker, bundleWorkflowCode } from '@temporalio/worker';
import pino from 'pino';
import { createBridgeMetrics, createMetricsServer, crmRequestMeter, temporalExporterAddress, temporalTelemetryOptions } from '../../worker/metrics';
import { quietBundlerLogger } from './quiet-bundler-logger';

const metricsPort = Number(process.env.METRICS_PORT);
Runtime.install({ telemetryOptions: temporalTelemetryOptions(metricsPort) });
const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS });
const taskQueue = `metrics-probe-${process.pid}-${Date.now()}`;
const workflowBundle = await bundleWorkflowCode({ workflowsPath: fileURLToPath(new URL('../workflows/handoff-counters-probe.ts', import.meta.url)), logger: quietBundlerLogger });
const worker = await Worker.create({ connection, taskQueue, workflowBundle });
const client = new Client({ connection });
await worker.runUntil(client.workflow.execute('handoffCountersProbe', { taskQueue, workflowId: taskQueue }));

const metrics = createBridgeMetrics();
crmRequestMeter(metrics, 'hubspot').sent();
const server = createMetricsServer({ metrics, temporalExporterUrl: `http://${temporalExporterAddress(metricsPort)}/metrics`, logger: pino({ level: 'silent' }) });
const response = await server.inject({ method: 'GET', url: '/metrics' });
process.stdout.write(response.body);
await server.close();
await connection.close();
