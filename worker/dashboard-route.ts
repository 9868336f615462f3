/**
 * GET /dashboard: the latest reconciliation report's HTML, read-only, the one scoreboard both teams
 * quote. The page is static (no script), so it is served under a CSP that forbids anything but its
 * own inline styles. Without a report yet, a 404 page says how to produce one.
 */
import type { FastifyInstance } from 'fastify';
import { createDirectoryReportStore } from '../activities/reconcile';
import { REPORT_FILES } from './report';

export interface DashboardRouteOptions {
  /** The directory the reconcile activities write runs into (one sub-directory per run). */
  reportDir: string;
}

const HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

const NO_REPORT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>No SLA report yet</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:720px;margin:48px auto;padding:0 24px}code{background:#eef1f5;padding:1px 4px;border-radius:3px}</style></head>
<body><h1>No SLA report yet</h1>
<p>The dashboard shows the latest reconciliation report, and none has been written to this ingress's report directory.</p>
<ol>
<li>Run one now: <code>npx handoff-bridge reconcile --out &lt;report directory&gt;</code> (the same directory the ingress serves), or</li>
<li>wait for the scheduled reconciliation (<code>npx handoff-bridge reconcile --schedule --every 24h</code> creates the schedule).</li>
</ol>
<p>Then reload this page.</p></body></html>
`;

export async function registerDashboardRoute(app: FastifyInstance, options: DashboardRouteOptions): Promise<void> {
  const store = createDirectoryReportStore(options.reportDir);
  app.get('/dashboard', async (_request, reply) => {
    const latest = (await store.runsWith(REPORT_FILES.html)).pop();
    const page = latest ? await store.read({ runId: latest, name: REPORT_FILES.html }) : null;
    if (page === null) return reply.code(404).headers(HEADERS).send(NO_REPORT_PAGE);
    return reply.headers(HEADERS).send(page);
  });
}
