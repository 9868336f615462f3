/**
 * `npm run bench` as a user runs it, at sizes small enough for CI: every scenario (speed-to-alert,
 * burst with hot leads and its floor, reconciliation, footprint, the happy path's history) runs to its
 * row in the printed table, `bench/routing-queue.ts` to its figure per round and
 * `bench/visibility-cost.ts` to its figure per pair. The benchmarks
 * are the only place #17's figures come from, and they run under tsx's ESM loader, where a module can
 * fail to load although the type checker and vitest accept it (a named import from a CommonJS
 * package: `@temporalio/proto`, seen at 7e55c38, where the bench exited before its first figure).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

let running: ChildProcess | undefined;

/** A bench script in a process group of its own, so a test that gives up stops its dev server and workers too. */
function runBench(args: string[], script = 'bench/index.ts'): Promise<{ code: number | null; output: string }> {
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, [TSX, script, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    running = child;
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => resolveRun({ code, output }));
  });
}

/** A duration as the bench prints it (`ms` in bench/support/stats.ts): `850 ms`, `12.5 s`. */
const DURATION = String.raw`[\d.]+ m?s`;

/** The figure column of the table row whose measure starts with `measure`. */
function figure(output: string, measure: string): string | undefined {
  const line = output.split('\n').find((l) => l.startsWith(`| ${measure}`));
  return line?.split('|')[2]?.trim();
}

describe('npm run bench at small sizes', () => {
  afterEach(() => {
    // Whatever is left of the bench's process group: all of it when the test gave up on the run.
    const pid = running?.pid;
    running = undefined;
    if (pid === undefined) return;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
    }
  });

  it('runs every scenario to a figure in the table', { timeout: 240_000 }, async () => {
    const { code, output } = await runBench(['--speed', '3', '--poll', '1', '--burst', '20', '--hot', '2', '--hot-after', '1', '--reconcile', '1000', '--footprint', '10', '--quiet', '1', '--worker-nice', '3', '--hot-timelines', 'all', '--ingress', 'worker']);
    expect(code, output).toBe(0);
    expect(output).toContain('handoff-bridge benchmarks on');
    expect(figure(output, 'speed-to-alert p99'), output).toMatch(new RegExp(`^${DURATION}$`));
    expect(figure(output, 'floor: bare workflows, all completed'), output).toMatch(/^[\d.]+ s \([\d.]+\/s\)$/);
    expect(figure(output, 'burst: time to all assigned'), output).toMatch(/× floor$/);
    expect(figure(output, 'burst: hot leads alerted p50 / p99'), output).toMatch(new RegExp(`^${DURATION} / ${DURATION}$`));
    // 20 + 2 handoffs read back: each a count, and the retried row parses (a timeout names its type).
    expect(figure(output, 'burst: activity attempts retried (timed out)'), output).toMatch(/^\d+ \(\d+\)/);
    expect(figure(output, 'reconciliation'), output).toMatch(/^\d+ s, \d+ HubSpot \+ \d+ Salesforce calls$/);
    expect(figure(output, 'footprint: worker RSS, parked and quiet'), output).toMatch(/^\d+ MB/);
    expect(figure(output, 'history events, happy path'), output).toMatch(/^\d+$/);
    // --hot-timelines all: both hot leads step by step, not only the slowest.
    const hotSection = output.slice(output.indexOf('hot leads, where the time to the alert went'));
    expect(hotSection.match(/^ {2}(slowest: )?handoff:\S+, started .+ after its webhook, alert at .+ \(local activities on the worker's clock\)$/gm), output).toHaveLength(2);
    // Timed by the worker process that ran them: each lead's assignment, from its start to its end.
    expect(hotSection.match(new RegExp(`^ {4}from +${DURATION} to +${DURATION} {2}local activity assignLead +waited +0 ms, ran +${DURATION}$`, 'gm')), output).toHaveLength(2);
    // The niceness as the burst read it from its worker process: the option reached the process.
    expect(output).toContain('the main worker processes ran under nice -n 3 (--worker-nice; the burst\'s read 3)');
    // --ingress worker: the burst's webhooks reached the worker process, and the server's answers say
    // both hot leads started eagerly there.
    expect(output).toContain('the server started 2 of 2 hot leads eagerly on it');
  });

  it('runs the routing queue benchmark to a figure per round, and refuses a size it cannot use', { timeout: 120_000 }, async () => {
    const { code, output } = await runBench(['--updates', '6', '--batch', '3', '--senders', '2', '--rounds', '2'], 'bench/routing-queue.ts');
    expect(code, output).toBe(0);
    const rounds = output.match(/^round \d: 18 questions in [\d.]+ s; CPU [\d.]+ s worker, [\d.]+ s server; 1 run\(s\), \d+ workflow tasks, [\d.]+ s in all, longest \d+ ms$/gm);
    expect(rounds, output).toHaveLength(2);
    const refused = await runBench(['--senders', '0'], 'bench/routing-queue.ts');
    expect(refused.code).not.toBe(0);
    expect(refused.output).toContain('--senders must be a whole number of 1 or more, got "0"');
  });

  it('runs the visibility-cost benchmark to a figure per pair, and refuses a size it cannot use', { timeout: 120_000 }, async () => {
    const { code, output } = await runBench(['--pairs', '1', '--workflows', '20'], 'bench/visibility-cost.ts');
    expect(code, output).toBe(0);
    // Both workflows completed, the second with the three events its two writes (memo and attributes, then attributes) add.
    expect(output, output).toMatch(/^pair 1: floorHandoff [\d.]+ s, server [\d.]+ s, worker [\d.]+ s CPU, 25 events each$/m);
    expect(output, output).toMatch(/^ +floorWithVisibility [\d.]+ s, server [\d.]+ s, worker [\d.]+ s CPU, 28 events each$/m);
    expect(output, output).toMatch(/^server CPU per visibility write, median of 1: -?[\d.]+ ms \(20 workflows × 2 writes per run\)$/m);
    const refused = await runBench(['--pairs', '0'], 'bench/visibility-cost.ts');
    expect(refused.code).not.toBe(0);
    expect(refused.output).toContain('--pairs must be a whole number ≥ 1, got "0"');
  });
});
