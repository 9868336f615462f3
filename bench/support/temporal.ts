/** The real Temporal dev server and one workflow bundle, shared by every scenario of a run. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import { startDevServer, type DevServer } from '../../worker/dev-server';
import { defaultToolsDir, provisionTemporal } from '../../worker/temporal-binaries';
import { workflowBundleOptions } from '../../worker/workflow-bundle-options';

export async function temporalBinaries(): Promise<{ cli: string; testServer: string }> {
  return provisionTemporal({ toolsDir: defaultToolsDir() });
}

/** A dev server with the project's search attributes; persisted in `dbFile` when given. */
export async function startTemporal(options: { dbFile?: string; port?: number } = {}): Promise<DevServer> {
  const { cli } = await temporalBinaries();
  return startDevServer({ cliPath: cli, ...options });
}

const quiet = { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: (m: string) => console.error(m) };

/** Bundles the workflows once into `dir`; every worker process of the run loads this file. */
export async function writeWorkflowBundle(dir: string): Promise<string> {
  const { code } = await bundleWorkflowCode(workflowBundleOptions({ logger: quiet }));
  const path = join(dir, 'workflow-bundle.js');
  writeFileSync(path, code);
  return path;
}

export async function connectClient(address: string): Promise<Client> {
  return new Client({ connection: await Connection.connect({ address }) });
}
