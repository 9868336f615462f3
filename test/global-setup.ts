/**
 * One real Temporal dev server for the whole test run (search attributes registered), and one
 * workflow bundle that every test worker loads instead of re-bundling.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { TestProject } from 'vitest/node';
import { startDevServer } from '../worker/dev-server';
import { defaultToolsDir, provisionTemporal } from '../worker/temporal-binaries';
import { workflowBundleOptions } from '../worker/workflow-bundle-options';
import { quietBundlerLogger } from './helpers/quiet-bundler-logger';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    temporalCliPath: string;
    temporalTestServerPath: string;
    workflowBundlePath: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const binaries = await provisionTemporal({ toolsDir: defaultToolsDir() });
  const scratch = mkdtempSync(join(tmpdir(), 'handoff-bridge-test-'));
  const [server, bundle] = await Promise.all([
    startDevServer({ cliPath: binaries.cli }),
    bundleWorkflowCode(workflowBundleOptions({ logger: quietBundlerLogger })),
  ]);
  const workflowBundlePath = join(scratch, 'workflow-bundle.js');
  writeFileSync(workflowBundlePath, bundle.code);
  console.log(`temporal dev server ${binaries.cli} serving at ${server.address}`);

  project.provide('temporalAddress', server.address);
  project.provide('temporalCliPath', binaries.cli);
  project.provide('temporalTestServerPath', binaries.testServer);
  project.provide('workflowBundlePath', workflowBundlePath);

  return async () => {
    await server.stop();
    rmSync(scratch, { recursive: true, force: true });
  };
}
