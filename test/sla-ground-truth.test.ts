/**
 * Ground truth for the SLA dashboard: a planted month of leads whose histories are known (two-episode
 * leads, reassignments, a weekend and a holiday inside windows, pending windows, an acceptance dated
 * before its assignment, a won and a lost opportunity, a Task type the contract does not count),
 * planted through the sandboxes' REST APIs. The expected figures are counted here from each lead's
 * written-down answers (test/sla-ground-truth.ts), never with mappings/metrics*.ts, and every figure
 * of report.json must equal them.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDirectoryReportStore } from '../activities/reconcile';
import { parseRepairPolicy, type ReconcileReport } from '../mappings/metrics';
import { loadContract, presetPath } from '../mappings/load';
import type { Contract } from '../mappings/contract';
import { startSandboxes, type Sandboxes } from '../sandbox';
import { runReconciliation } from '../worker/report/reconcile-runner';
import { devServerEnv, uniqueTaskQueue } from './helpers/temporal';
import { handoffBridge } from './helpers/cli';
import { reconcileDepsFor } from './reconcile-scenario';
import { plant } from './planting';
import { plantMonth, type PlantedLead } from './sla-ground-truth';

const round1 = (n: number) => Math.round(n * 10) / 10;
function medianOf(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] ?? NaN) : ((s[m - 1] ?? NaN) + (s[m] ?? NaN)) / 2;
}


/** The figures, counted from the planted answers. */
function expectedFigures(leads: PlantedLead[]) {
  const episodes = leads.flatMap((l) => l.episodes.map((ep, i) => ({ lead: l, ep, latest: i === l.episodes.length - 1 })));
  const e = episodes.map((x) => x.ep.expect);
  const speeds = e.flatMap((x) => (typeof x.speed === 'number' ? [x.speed] : []));
  const met = speeds.filter((s) => s <= 30).length;
  const missed = speeds.filter((s) => s > 30).length + e.filter((x) => x.speed === 'missed').length;
  const closed = e.filter((x) => typeof x.followUp === 'boolean');
  const accepted = e.filter((x) => x.decided === 'accepted').length;
  const decided = e.filter((x) => x.decided !== 'undecided').length;
  const complete = episodes.filter((x) => x.ep.missingAtHandover.length === 0).length;
  const reasons: Record<string, number> = {};
  for (const { ep } of episodes) {
    const code = ep.rejection?.reason ?? (ep.slaMissedAt ? 'SLA_MISSED' : undefined);
    if (code) reasons[code] = (reasons[code] ?? 0) + 1;
  }
  const missedByRep: Record<string, number> = {};
  for (const { ep } of episodes) for (const rep of ep.missedBy ?? []) missedByRep[rep] = (missedByRep[rep] ?? 0) + 1;
  const funnel = (rows: typeof episodes) => ({
    MQL: rows.length,
    SAL: rows.filter((x) => x.ep.expect.decided === 'accepted').length,
    SQL: rows.filter((x) => x.latest && x.lead.sqlAt).length,
    Opportunity: rows.filter((x) => x.latest && x.lead.opportunity).length,
    Won: rows.filter((x) => x.latest && x.lead.opportunity === 'Closed Won').length,
  });
  const sources = [...new Set(leads.map((l) => l.source))];
  return {
    episodes: episodes.length,
    speed: { measured: met + missed, met, missed, pending: e.filter((x) => x.speed === 'pending').length, attainment: round1((met / (met + missed)) * 100), median: medianOf(speeds) },
    followUp: { closed: closed.length, followed: closed.filter((x) => x.followUp === true).length, pending: e.filter((x) => x.followUp === 'pending').length, rate: round1((closed.filter((x) => x.followUp === true).length / closed.length) * 100) },
    acceptance: { accepted, decided, rate: round1((accepted / decided) * 100) },
    completeness: { complete, of: episodes.length, percent: round1((complete / episodes.length) * 100) },
    reasons,
    missedByRep,
    systemMedian: medianOf(e.map((x) => x.systemMinutes)),
    repMedian: medianOf(e.flatMap((x) => (x.repMinutes !== undefined ? [x.repMinutes] : []))),
    repMeasured: e.filter((x) => x.repMinutes !== undefined).length,
    findings: e.filter((x) => x.acceptanceBeforeAssignment).length,
    funnelAll: funnel(episodes),
    funnelBySource: Object.fromEntries(sources.map((s) => [s, funnel(episodes.filter((x) => x.lead.source === s))])),
  };
}

describe('SLA figures against a planted month of known histories', () => {
  let env: TestWorkflowEnvironment;
  let sandboxes: Sandboxes;
  let reportDir: string;
  let report: ReconcileReport;
  let leads: PlantedLead[];
  let contract: Contract;
  let contractFile: string;

  beforeAll(async () => {
    const planted = plantMonth(Date.now());
    leads = planted.leads;
    reportDir = mkdtempSync(join(tmpdir(), 'sla-ground-truth-'));
    // The default preset with the planted holiday, as a file: the CLI run below reads the same contract.
    contractFile = join(reportDir, 'contract.yaml');
    const preset = readFileSync(presetPath('default'), 'utf8');
    if (!preset.includes("\n  holidays: ['")) throw new Error('the default preset no longer lists calendar holidays on one line');
    writeFileSync(contractFile, preset.replace("\n  holidays: ['", `\n  holidays: ['${planted.holiday}', '`));
    contract = loadContract(contractFile);
    expect(contract.calendar.holidays).toContain(planted.holiday);
    [env, sandboxes] = await Promise.all([devServerEnv(), startSandboxes({ hubspot: { portalId: 40000 + Math.floor(Math.random() * 9000), rateLimits: { searchPerSecond: 100, tenSecondly: 5000 }, searchLagMs: 0 } })]);
    await plant(sandboxes, leads);
    const result = await runReconciliation({
      client: env.client,
      connection: env.nativeConnection,
      deps: { ...reconcileDepsFor(sandboxes, contract, { hubspotSearchPerSecond: 100 }), store: createDirectoryReportStore(reportDir) },
      input: { portalId: sandboxes.hubspot.portalId, policy: parseRepairPolicy('none'), handoffTaskQueue: uniqueTaskQueue('ground-truth'), pagesPerActivity: 5 },
    });
    report = JSON.parse(readFileSync(join(result.reportDirectory, 'report.json'), 'utf8')) as ReconcileReport;
  }, 120_000);

  afterAll(async () => {
    await sandboxes?.stop();
    await env?.teardown();
    if (reportDir) rmSync(reportDir, { recursive: true, force: true });
  });

  const figure = (id: string) => {
    const found = report.sla.commitments.find((c) => c.commitmentId === id);
    if (!found) throw new Error(`report has no ${id} figure`);
    return found;
  };

  it('plants at least 80 leads and measures every episode separately', () => {
    const want = expectedFigures(leads);
    expect(leads.length).toBeGreaterThanOrEqual(80);
    expect(report.sla.episodes).toBe(want.episodes);
    expect(figure('mql_volume').population).toBe(want.episodes);
  });

  it('speed-to-lead: from the first assignment to the first counted attempt, pending neither met nor missed', () => {
    const want = expectedFigures(leads).speed;
    const f = figure('speed_to_lead');
    expect({ measured: f.detail.measured, met: f.detail.met, missed: f.detail.missed, pending: f.detail.pending }).toEqual({ measured: want.measured, met: want.met, missed: want.missed, pending: want.pending });
    expect(f.value).toBeCloseTo(want.attainment, 1);
    expect(Math.abs((f.detail.median ?? NaN) - want.median)).toBeLessThanOrEqual(1);
  });

  it('follow-up rate: closed windows only, counted channels only, every required channel', () => {
    const want = expectedFigures(leads).followUp;
    const f = figure('contact_attempts');
    expect({ closed: f.detail.closed, followed: f.detail.followed, pending: f.detail.pending }).toEqual({ closed: want.closed, followed: want.followed, pending: want.pending });
    expect(f.detail.followUpRate).toBeCloseTo(want.rate, 1);
  });

  it('acceptance rate over decided handovers; an acceptance before assignment is a finding', () => {
    const want = expectedFigures(leads);
    const f = figure('acceptance_rate');
    expect({ accepted: f.detail.accepted, decided: f.detail.decided }).toEqual({ accepted: want.acceptance.accepted, decided: want.acceptance.decided });
    expect(f.value).toBeCloseTo(want.acceptance.rate, 1);
    expect(report.sla.dataQuality.filter((d) => d.kind === 'acceptance_before_assignment')).toHaveLength(want.findings);
  });

  it('data completeness on the values at handover', () => {
    const want = expectedFigures(leads).completeness;
    const f = figure('data_completeness');
    expect(f.population).toBe(want.of);
    expect(f.detail.hits).toBe(want.complete);
    expect(f.value).toBeCloseTo(want.percent, 1);
  });

  it('funnel by source, Won from the Salesforce opportunity', () => {
    const want = expectedFigures(leads);
    const rows = Object.fromEntries(report.sla.funnel.map((r) => [r.source, r.counts]));
    expect(rows['All sources']).toEqual(want.funnelAll);
    for (const [source, counts] of Object.entries(want.funnelBySource)) expect(rows[source]).toEqual(counts);
  });

  it('rejections by the episode’s own reason', () => {
    const want = expectedFigures(leads).reasons;
    const got = Object.fromEntries(report.sla.rejections.filter((r) => r.count > 0).map((r) => [r.code, r.count]));
    expect(got).toEqual(want);
  });

  it('`handoff-bridge reconcile --out DIR` prints the same figures as its report.json, and they are the expected ones', async () => {
    const out = join(reportDir, 'cli');
    const sf = sandboxes.salesforce;
    const cli = await handoffBridge(['reconcile', '--out', out, '--repair', 'none'], {
      HUBSPOT_ACCESS_TOKEN: sandboxes.hubspot.accessToken,
      HUBSPOT_BASE_URL: sandboxes.hubspot.baseUrl,
      HUBSPOT_PORTAL_ID: sandboxes.hubspot.portalId,
      SALESFORCE_INSTANCE_URL: sf.instanceUrl,
      SALESFORCE_LOGIN_URL: sf.loginUrl,
      SALESFORCE_CLIENT_ID: sf.clientId,
      SALESFORCE_CLIENT_SECRET: sf.clientSecret,
      // Live mode's rules (ingress hardening): webhook secret, encrypted payloads (the CLI's client and
      // its private worker must share the codec), the codec server's token.
      HUBSPOT_CLIENT_SECRET: sandboxes.hubspot.clientSecret,
      CODEC_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      CODEC_AUTH_TOKEN: randomBytes(24).toString('hex'),
      HANDOFF_CONTRACT: contractFile,
    });
    expect(cli.code, cli.stderr).toBe(0);
    const [runId] = readdirSync(out);
    const written = JSON.parse(readFileSync(join(out, runId ?? '', 'report.json'), 'utf8')) as ReconcileReport;
    const printed = new Map(cli.stdout.split('\n').map((line): [string, string] => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]));
    for (const c of written.sla.commitments) {
      const line = printed.get(c.commitmentId) ?? '';
      expect(line.startsWith(`${c.value ?? 'SIGNAL MISSING'} (`), `${c.commitmentId}: ${line}`).toBe(true);
      for (const [key, value] of Object.entries(c.detail)) expect(line).toContain(`${key}=${value ?? 'SIGNAL MISSING'}`);
    }
    const all = written.sla.funnel.find((r) => r.source === 'All sources');
    expect(printed.get('funnel All sources')).toBe(`MQL ${all?.counts.MQL}, SAL ${all?.counts.SAL}, SQL ${all?.counts.SQL}, Opportunity ${all?.counts.Opportunity}, Won ${all?.counts.Won}`);
    expect(printed.get('signals missing')).toBe(String(written.sla.signalsMissing.length));
    expect(printed.get('data quality findings')).toBe(String(written.sla.dataQuality.length));
    // And the CLI's run measured what the test's run measured.
    const figures = (r: ReconcileReport) => r.sla.commitments.map((c) => ({ id: c.commitmentId, value: c.value, detail: c.detail }));
    expect(figures(written)).toEqual(figures(report));
    expect(written.sla.funnel).toEqual(report.sla.funnel);
    expect(written.sla.rejections).toEqual(report.sla.rejections);
  }, 120_000);

  it('system delay apart from rep delay; missed windows listed per rep', () => {
    const want = expectedFigures(leads);
    expect(Math.abs((report.sla.delays.systemMedianMinutes ?? NaN) - want.systemMedian)).toBeLessThanOrEqual(1);
    expect(Math.abs((report.sla.delays.repMedianMinutes ?? NaN) - want.repMedian)).toBeLessThanOrEqual(1);
    expect(report.sla.delays.repMeasured).toBe(want.repMeasured);
    expect(report.sla.delays.missedWindowsByRep).toEqual(want.missedByRep);
  });
});
