/**
 * `npm start` as a newcomer runs it, in a child process: no CRM credentials, its own dev server, both
 * sandboxes, the bridge and the simulated pipeline, on free ports and a temporary data directory. A
 * small run (7 leads, one-minute windows, no reassignment) so every outcome class the simulation
 * plans appears once or twice; HANDOFF_DEMO_EXIT=1 ends it after the report.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CRM_CREDENTIAL_VARIABLES } from '../worker/config';
import { quietPort } from '../worker/dev-server';

const ROOT = resolve(import.meta.dirname, '..');
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Statuses the Web UI and the dashboard answered while the demo was running. */
  whileRunning: { ui: number; dashboard: number };
}

async function statusOf(url: string): Promise<number> {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  await response.arrayBuffer();
  return response.status;
}

/** Resolves with the first capture of `pattern` in the child's stdout. */
function waitForLine(child: ChildProcess, output: () => string, pattern: RegExp, errors: () => string): Promise<string> {
  return new Promise((resolveLine, reject) => {
    const look = () => {
      const match = pattern.exec(output());
      if (!match) return false;
      child.stdout?.off('data', look);
      resolveLine(match[1] ?? '');
      return true;
    };
    if (look()) return;
    child.stdout?.on('data', look);
    child.once('exit', (code) => reject(new Error(`npm start exited (${String(code)}) before printing ${pattern}:\n${output()}\nstderr (last 2,000 characters):\n${errors().slice(-2_000)}`)));
  });
}

describe('npm start (sandbox demo)', () => {
  let scratch: string;
  let run: Run;

  /** One run of `npm start`, on ports free a moment before it starts. */
  async function startDemo(): Promise<Run> {
    // Five free ports in a row, below the ephemeral range: Temporal, its UI, the ingress, METRICS_PORT and
    // the Runtime's exporter beside it (METRICS_PORT + 1).
    const first = await quietPort(4);
    const [temporalPort, uiPort, ingressPort, metricsPort] = [first, first + 1, first + 2, first + 3];
    const env: NodeJS.ProcessEnv = {
      ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !(CRM_CREDENTIAL_VARIABLES as readonly string[]).includes(name))),
      HANDOFF_DATA_DIR: join(scratch, 'data'),
      HANDOFF_REPORT_DIR: join(scratch, 'reports'),
      TEMPORAL_PORT: String(temporalPort),
      TEMPORAL_UI_PORT: String(uiPort),
      INGRESS_PORT: String(ingressPort),
      METRICS_PORT: String(metricsPort),
      HUBSPOT_SANDBOX_PORT: '0',
      SALESFORCE_SANDBOX_PORT: '0',
      HANDOFF_DEMO_LEADS: '7',
      HANDOFF_DEMO_WINDOW_MINUTES: '1',
      HANDOFF_DEMO_REASSIGN_LIMIT: '0',
      HANDOFF_DEMO_SYNC_SECONDS: '3',
      HANDOFF_DEMO_PACE_MS: '500',
      HANDOFF_DEMO_EXIT: '1',
    };
    delete env.TEMPORAL_ADDRESS;
    const child = spawn(process.execPath, [TSX, join(ROOT, 'worker', 'start.ts')], { cwd: scratch, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      const uiUrl = await waitForLine(child, () => stdout, /Temporal Web UI\s+(http:\/\/\S+)/, () => stderr);
      const ingressUrl = await waitForLine(child, () => stdout, /Bridge ingress\s+(http:\/\/\S+)/, () => stderr);
      // While the simulation runs: the UI serves, and the dashboard answers (no report yet: its 404 page).
      const whileRunning = { ui: await statusOf(uiUrl), dashboard: await statusOf(`${ingressUrl}/dashboard`) };
      return { code: await exited, stdout, stderr, whileRunning };
    } finally {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    }
  }

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'handoff-start-'));
    // A port free when picked can be taken before the demo binds it (the long files run beside
    // chaos runs that open thousands of connections): only that failure is tried once more.
    try {
      run = await startDemo();
    } catch (err) {
      if (!/EADDRINUSE|address already in use/i.test(String(err))) throw err;
      rmSync(scratch, { recursive: true, force: true });
      scratch = mkdtempSync(join(tmpdir(), 'handoff-start-'));
      run = await startDemo();
    }
  }, 420_000);

  afterAll(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('runs the whole pipeline and exits 0 once every planned lead reached its outcome', () => {
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    const summary = JSON.parse(readFileSync(join(scratch, 'reports', 'demo-summary.json'), 'utf8')) as {
      complete: boolean;
      outcomes: Record<string, { planned: number; reached: number }>;
    };
    expect(Object.keys(summary.outcomes).sort()).toEqual(
      ['accepted_by_link', 'accepted_in_salesforce', 'ignored_reverted', 'rejected_disqualified', 'rejected_to_nurture', 'returned_incomplete'].sort(),
    );
    for (const [outcome, tally] of Object.entries(summary.outcomes)) {
      expect(tally.reached, outcome).toBe(tally.planned);
      expect(tally.planned, outcome).toBeGreaterThan(0);
    }
    expect(summary.complete).toBe(true);
  });

  it('serves the Temporal Web UI and the dashboard while running, and the report on the dashboard at the end', () => {
    expect(run.whileRunning.ui).toBe(200);
    expect([200, 404]).toContain(run.whileRunning.dashboard);
    expect(run.stdout).toMatch(/check: Temporal Web UI \S+ answered HTTP 200/);
    expect(run.stdout).toMatch(/check: SLA dashboard \S+\/dashboard answered HTTP 200/);
  });

  it('writes the reconciliation report and the SLA document rendered from the demo contract', () => {
    const reportDir = /Reconciliation report\s+(\S+)\//.exec(run.stdout)?.[1] ?? '';
    expect(existsSync(join(scratch, reportDir, 'report.html'))).toBe(true);
    const document = readFileSync(join(scratch, 'reports', 'sla.md'), 'utf8');
    expect(document.match(/```mermaid/g)).toHaveLength(2);
    // The document states the demo contract's compressed window, not the preset's 30 minutes.
    expect(readFileSync(join(scratch, 'reports', 'demo-contract.yaml'), 'utf8')).toMatch(/acceptanceWindowBusinessMinutes: 1\n/);
    expect(document).toMatch(/\b1 business minute/);
  });
});
