/**
 * /dashboard in a real headless Chromium: the latest report renders with no console errors and shows
 * the seeded scenario's known figures; with no report yet it answers a 404 page that says what to do;
 * it is read-only.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDirectoryReportStore } from '../activities/reconcile';
import { parseRepairPolicy, type ReconcileReport } from '../mappings/metrics';
import { registerDashboardRoute } from '../worker/dashboard-route';
import { runReconciliation } from '../worker/report/reconcile-runner';
import { withPage } from './helpers/browser';
import { devServerEnv, uniqueTaskQueue } from './helpers/temporal';
import { KNOWN_ANSWERS, seedScenario, type Scenario } from './reconcile-scenario';

async function serve(reportDir: string): Promise<{ app: FastifyInstance; url: string }> {
  const app = Fastify();
  await registerDashboardRoute(app, { reportDir });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url: `${address}/dashboard` };
}

describe('the dashboard page', () => {
  let env: TestWorkflowEnvironment;
  let scenario: Scenario;
  let reportDir: string;
  let emptyDir: string;
  let server: { app: FastifyInstance; url: string };
  let reportKeys: string[];

  beforeAll(async () => {
    env = await devServerEnv();
    scenario = await seedScenario(env.client);
    reportDir = mkdtempSync(join(tmpdir(), 'dashboard-'));
    emptyDir = mkdtempSync(join(tmpdir(), 'dashboard-empty-'));
    const run = await runReconciliation({
      client: env.client,
      connection: env.nativeConnection,
      deps: { ...scenario.deps, store: createDirectoryReportStore(reportDir) },
      input: { portalId: scenario.portalId, policy: parseRepairPolicy('none'), handoffTaskQueue: uniqueTaskQueue('dashboard-handoffs') },
    });
    reportKeys = (JSON.parse(readFileSync(join(run.reportDirectory, 'report.json'), 'utf8')) as ReconcileReport).drift.items.map((i) => i.key).sort();
    server = await serve(reportDir);
  }, 180_000);

  afterAll(async () => {
    await server?.app.close();
    await scenario?.stop();
    await env?.teardown();
    for (const dir of [reportDir, emptyDir]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('renders the latest report in headless Chromium without console errors, showing the scenario figures', async () => {
    await withPage(server.url, async ({ page, errors }) => {
      expect(await page.title()).toContain(`portal ${scenario.portalId}`);
      const value = (id: string) => page.locator(`tr[data-commitment="${id}"]`).getAttribute('data-value');
      expect(Number(await value('speed_to_lead'))).toBe(KNOWN_ANSWERS.speedToLeadAttainment);
      expect(Number(await value('acceptance_rate'))).toBe(KNOWN_ANSWERS.acceptanceRate);
      expect(await page.locator('tr[data-commitment="acceptance_rate"] .missed').textContent()).toBe('missed');
      const all = page.locator('#funnel tr[data-source="All sources"]');
      for (const [stage, count] of Object.entries(KNOWN_ANSWERS.funnelAll)) {
        expect(Number(await all.locator(`td[data-stage="${stage}"]`).textContent())).toBe(count);
      }
      expect(Number(await page.locator('#rejections tr[data-code="WRONG_INDUSTRY"] td.num').textContent())).toBe(1);
      expect(Number(await page.locator('#system-delay').getAttribute('data-minutes'))).toBe(KNOWN_ANSWERS.systemDelayMedian);
      expect(Number(await page.locator('#rep-delay').getAttribute('data-minutes'))).toBe(KNOWN_ANSWERS.repDelayMedian);
      expect(reportKeys).toEqual(scenario.planted);
      expect(Number(await page.locator('#drift-summary').getAttribute('data-items'))).toBe(scenario.planted.length);
      for (const chart of ['#chart-funnel', '#chart-speed', '#chart-rejections']) {
        const box = await page.locator(chart).boundingBox();
        expect(box?.width ?? 0).toBeGreaterThan(100);
      }
      expect(await page.locator('#agenda li').count()).toBe(4);
      expect(errors).toEqual([]);
    });
  });

  it('answers a 404 page with instructions when no report exists yet', async () => {
    const empty = await serve(emptyDir);
    try {
      const response = await empty.app.inject({ method: 'GET', url: '/dashboard' });
      expect(response.statusCode).toBe(404);
      expect(response.headers['content-type']).toContain('text/html');
      expect(response.body).toContain('npx handoff-bridge reconcile --out');
      await withPage(empty.url, async ({ page, errors }) => {
        expect(await page.locator('h1').textContent()).toBe('No SLA report yet');
        expect(errors.filter((e) => !e.includes('404'))).toEqual([]);
      });
    } finally {
      await empty.app.close();
    }
  });

  it('is read-only', async () => {
    const response = await server.app.inject({ method: 'POST', url: '/dashboard', payload: {} });
    expect(response.statusCode).toBe(404);
  });
});
