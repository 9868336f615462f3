/**
 * What one visibility write (a search-attribute or memo upsert) costs the server, measured as the floor
 * is: `--pairs` times, the bare floor (floorHandoff) and the floor with FLOOR_VISIBILITY_WRITES more
 * (floorWithVisibility), each on a dev server of its own started with the bridge's settings, one after
 * the other so that both of a pair see the machine alike. Prints each run and, per pair, the server's
 * extra CPU per write. Why the handoff publishes where the lead sits and nowhere else
 * (workflows/handoff/run.ts). Run alone: `npx tsx bench/visibility-cost.ts [--pairs 3] [--workflows 1020]`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { measureFloor, type FloorResult } from './floor';
import { FLOOR_VISIBILITY_WRITES, type FloorWorkflow } from './floor/floor-queues';
import { percentile, seconds } from './support/stats';
import { onOwnDevServer } from './support/temporal';
import { DEFAULT_WORKFLOW_CACHE_SIZE } from '../worker/config';

const { values } = parseArgs({ options: { pairs: { type: 'string', default: '3' }, workflows: { type: 'string', default: '1020' } } });
const pairs = Number(values.pairs);
const workflows = Number(values.workflows);
if (!Number.isInteger(pairs) || pairs < 1) throw new Error(`--pairs must be a whole number ≥ 1, got ${JSON.stringify(values.pairs)}`);
if (!Number.isInteger(workflows) || workflows < 1) throw new Error(`--workflows must be a whole number ≥ 1, got ${JSON.stringify(values.workflows)}`);

Runtime.install({ logger: new DefaultLogger('ERROR') });
const scratchDir = mkdtempSync(join(tmpdir(), 'handoff-visibility-cost-'));

function floorOn(workflowType: FloorWorkflow): Promise<FloorResult> {
  return onOwnDevServer((server, client) =>
    measureFloor({ client, temporalAddress: server.address, scratchDir, workflows, timeoutMs: 20 * 60_000, maxCachedWorkflows: DEFAULT_WORKFLOW_CACHE_SIZE, serverPid: server.pid, workflowType }),
  );
}

const describe = (r: FloorResult): string => `${r.allCompletedMs === undefined ? 'not all completed' : seconds(r.allCompletedMs)}, server ${r.cpu.server?.toFixed(1)} s, worker ${r.cpu.worker?.toFixed(1)} s CPU, ${r.counts?.events ?? '?'} events each`;
const perWrite: number[] = [];
try {
  for (let pair = 1; pair <= pairs; pair++) {
    const bare = await floorOn('floorHandoff');
    const visible = await floorOn('floorWithVisibility');
    const extraMs = (((visible.cpu.server ?? NaN) - (bare.cpu.server ?? NaN)) * 1000) / (workflows * FLOOR_VISIBILITY_WRITES);
    perWrite.push(extraMs);
    console.log(`pair ${pair}: floorHandoff ${describe(bare)}`);
    console.log(`        floorWithVisibility ${describe(visible)}`);
    console.log(`        server CPU per visibility write: ${extraMs.toFixed(2)} ms`);
  }
  console.log(`server CPU per visibility write, median of ${pairs}: ${percentile(perWrite, 50).toFixed(2)} ms (${workflows} workflows × ${FLOOR_VISIBILITY_WRITES} writes per run)`);
} finally {
  rmSync(scratchDir, { recursive: true, force: true });
}
