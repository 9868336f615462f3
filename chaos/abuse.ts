/**
 * The ingress under abuse, bounded and on loopback only: `handoff-bridge ingress` runs as a child
 * process (its RSS and log lines are its own) against a local Temporal dev server, and this script
 * sends, all at once: 1,000 concurrent bad requests (forged webhooks, garbage link tokens, oversized
 * and malformed bodies, unknown routes), 50 slow-body and 50 slow-header connections, and 40
 * unauthenticated 15 MB posts to /codec/decode. Meanwhile it probes /healthz every 50 ms. It prints
 * /healthz p50/p99/max during the attack, RSS at the start, at the peak and 60 s after the attack,
 * how the slow connections ended, and the count of error-level log lines.
 *
 * Targets: /healthz p99 ≤ 50 ms, RSS within 20% of its start after 60 s, 0 error lines.
 *
 *   npx tsx chaos/abuse.ts      (also part of `npm run chaos`)
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { request } from 'node:http';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { percentile } from '../bench/support/stats';
import { freePort } from '../worker/dev-server';

const ROOT = resolve(import.meta.dirname, '..');
const HOST = '127.0.0.1';
const CODEC_TOKEN = randomBytes(24).toString('base64url');

/** The prober: GET /healthz every 50 ms on one keep-alive connection; prints ms per probe, -1 for a failure. */
const PROBE_SCRIPT = `
const http = require('node:http');
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const port = Number(process.argv[1]);
const once = () => new Promise((done) => {
  const t0 = performance.now();
  const req = http.request({ host: '127.0.0.1', port, path: '/healthz', agent }, (res) => {
    res.resume();
    res.on('end', () => done(res.statusCode === 200 ? performance.now() - t0 : -1));
  });
  req.on('error', () => done(-1));
  req.setTimeout(5000, () => req.destroy());
  req.end();
});
(async () => { for (;;) { process.stdout.write(String(await once()) + '\\n'); await new Promise((r) => setTimeout(r, 50)); } })();
`;

export interface AbuseOptions {
  temporalAddress: string;
  badRequests?: number;
  slowBody?: number;
  slowHeader?: number;
  codecPosts?: number;
  codecMegabytes?: number;
  /** Quiet time after the attack before RSS is read again. */
  settleMs?: number;
}

export interface AbuseResult {
  healthz: { samples: number; p50: number; p99: number; max: number; failures: number };
  rssMb: { start: number; peak: number; afterSettle: number };
  statuses: Record<string, number>;
  slow: { bodyClosedByServer: number; bodyClosedAfterMs: number; headerClosedByServer: number; headerClosedAfterMs: number };
  codec: { answered401: number; maxMs: number };
  errorLines: number;
  errorExamples: string[];
  /** The machine's 1-minute load average at the end of the attack, and its cores: context for the latencies. */
  load: { average: number; cores: number };
}

function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

/** One request on its own connection; resolves with the status, or 'dropped'. */
function send(port: number, method: string, path: string, headers: Record<string, string>, body?: Buffer | string): Promise<string> {
  return new Promise((done) => {
    const req = request({ host: HOST, port, method, path, headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => done(String(res.statusCode)));
    });
    req.on('error', () => done('dropped'));
    req.setTimeout(60_000, () => req.destroy());
    req.end(body);
  });
}

/** A raw connection that writes `head`, then a byte of `drip` every second; resolves when the server closes it. */
function slowConnection(port: number, head: string, drip: string, capMs: number): Promise<{ closedByServer: boolean; ms: number }> {
  return new Promise((done) => {
    const started = Date.now();
    let i = 0;
    const socket = connect(port, HOST, () => socket.write(head));
    const timer = setInterval(() => socket.write(drip[i++ % drip.length] ?? 'x'), 1_000);
    const cap = setTimeout(() => finish(false), capMs);
    const finish = (byServer: boolean) => {
      clearInterval(timer);
      clearTimeout(cap);
      socket.destroy();
      done({ closedByServer: byServer, ms: Date.now() - started });
    };
    socket.on('close', () => finish(true));
    socket.on('error', () => undefined);
    socket.resume();
  });
}

/** The 1,000 bad requests: a rotating mix of what an attacker or a broken client sends. */
function badRequest(port: number, i: number): Promise<string> {
  const json = { 'content-type': 'application/json' };
  switch (i % 6) {
    case 0: // forged webhook: a signature of the right shape, made with the wrong secret
      return send(port, 'POST', '/webhooks/hubspot', { ...json, 'x-hubspot-signature-v3': randomBytes(32).toString('base64'), 'x-hubspot-request-timestamp': String(Date.now()) }, '[{"eventId":1}]');
    case 1: // a garbage link token
      return send(port, 'GET', `/actions/${randomBytes(40).toString('base64url')}.${randomBytes(32).toString('base64url')}`, {});
    case 2: // a webhook body over the 1 MB limit
      return send(port, 'POST', '/webhooks/hubspot', json, Buffer.alloc(2 * 1024 * 1024, 0x20));
    case 3: // a codec call with a wrong token and a malformed body
      return send(port, 'POST', '/codec/decode', { ...json, authorization: 'Bearer wrong-token-0123456789' }, '{"payloads":');
    case 4: // an unknown route
      return send(port, 'GET', `/wp-admin/${i}`, {});
    default: // a link POST with a malformed form body
      return send(port, 'POST', `/actions/x.y`, { 'content-type': 'application/x-www-form-urlencoded' }, '%%%'.repeat(1000));
  }
}

export async function runAbuse(options: AbuseOptions): Promise<AbuseResult> {
  const [port, metricsPort] = [await freePort(), await freePort()];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TEMPORAL_ADDRESS: options.temporalAddress,
    HANDOFF_REPORT_DIR: join(ROOT, 'reports', 'chaos-abuse'),
    RECONCILE_EVERY: 'off',
    LINK_SIGNING_SECRET: randomBytes(32).toString('base64'),
    CODEC_KEYS: `abuse:${randomBytes(32).toString('base64')}`,
    CODEC_AUTH_TOKEN: CODEC_TOKEN,
    INGRESS_PORT: String(port),
    INGRESS_PUBLIC_URL: `http://${HOST}:${port}`,
    METRICS_PORT: String(metricsPort),
    LOG_LEVEL: 'info',
  };
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'handoff-bridge.mjs'), 'ingress'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  try {
    for (const started = Date.now(); !output.includes('"msg":"handoff-bridge started"'); ) {
      if (child.exitCode !== null || Date.now() - started > 60_000) throw new Error(`the ingress did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const pid = child.pid ?? 0;
    // Warm up (JIT, lazily loaded modules) before the baseline, as a pod would be by its first scrape.
    for (let i = 0; i < 50; i++) await send(port, 'GET', '/healthz', {});
    await new Promise((r) => setTimeout(r, 2_000));
    const startRss = rssMb(pid);
    let peakRss = startRss;

    // /healthz every 50 ms on a keep-alive connection of its own, as a kubelet probe would, from a
    // process of its own: this one's event loop is busy writing the attack's 600 MB.
    const prober = spawn(process.execPath, ['-e', PROBE_SCRIPT, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let probeOutput = '';
    prober.stdout.on('data', (chunk: Buffer) => (probeOutput += chunk.toString()));
    const proberDone = new Promise<void>((r) => prober.once('exit', () => r()));
    const rssSampler = setInterval(() => (peakRss = Math.max(peakRss, rssMb(pid))), 200);

    const statuses: Record<string, number> = {};
    const count = (status: string) => (statuses[status] = (statuses[status] ?? 0) + 1);
    const capMs = 45_000; // past both timeouts (10 s headers, 30 s request): a connection still open then is a finding
    const slowBodies = Array.from({ length: options.slowBody ?? 50 }, () =>
      slowConnection(port, `POST /webhooks/hubspot HTTP/1.1\r\nHost: ${HOST}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n[`, '{', capMs),
    );
    const slowHeaders = Array.from({ length: options.slowHeader ?? 50 }, () => slowConnection(port, `GET /healthz HTTP/1.1\r\nHost: ${HOST}\r\n`, 'X-Slow: abcdefgh', capMs));
    const codecBody = Buffer.alloc((options.codecMegabytes ?? 15) * 1024 * 1024, 0x41);
    const codecPosts = Array.from({ length: options.codecPosts ?? 40 }, async () => {
      const t0 = performance.now();
      const status = await send(port, 'POST', '/codec/decode', { 'content-type': 'application/json', 'x-namespace': 'default' }, codecBody);
      return { status, ms: performance.now() - t0 };
    });
    const bad = Array.from({ length: options.badRequests ?? 1000 }, (_, i) => badRequest(port, i).then(count));

    const [bodyEnds, headerEnds, codecEnds] = await Promise.all([Promise.all(slowBodies), Promise.all(slowHeaders), Promise.all(codecPosts), Promise.all(bad)]);
    const load = { average: loadavg()[0] ?? 0, cores: cpus().length };
    prober.kill('SIGTERM');
    await proberDone;
    clearInterval(rssSampler);
    const probes = probeOutput.split('\n').filter(Boolean).map(Number);
    const latencies = probes.filter((ms) => ms >= 0);
    const probeFailures = probes.length - latencies.length;

    await new Promise((r) => setTimeout(r, options.settleMs ?? 60_000));
    const afterRss = rssMb(pid);
    const errorLines = output.split('\n').filter((line) => line.includes('"level":"error"') || line.includes('"level":"fatal"'));
    const closed = (ends: Array<{ closedByServer: boolean; ms: number }>) => ends.filter((e) => e.closedByServer);
    return {
      healthz: { samples: latencies.length, p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: Math.max(...latencies), failures: probeFailures },
      rssMb: { start: startRss, peak: peakRss, afterSettle: afterRss },
      statuses,
      slow: {
        bodyClosedByServer: closed(bodyEnds).length,
        bodyClosedAfterMs: Math.max(0, ...closed(bodyEnds).map((e) => e.ms)),
        headerClosedByServer: closed(headerEnds).length,
        headerClosedAfterMs: Math.max(0, ...closed(headerEnds).map((e) => e.ms)),
      },
      codec: { answered401: codecEnds.filter((c) => c.status === '401').length, maxMs: Math.max(...codecEnds.map((c) => c.ms)) },
      errorLines: errorLines.length,
      errorExamples: errorLines.slice(0, 3).map((line) => line.slice(0, 300)),
      load,
    };
  } finally {
    // Bounded even when the ingress ignores SIGTERM (as it did before issue 20).
    if (child.exitCode === null) child.kill('SIGTERM');
    const kill = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(kill);
  }
}

/** The figures, one line each, with the targets. */
export function describeAbuse(r: AbuseResult): string[] {
  const f = (n: number) => n.toFixed(1);
  return [
    `machine: load average ${f(r.load.average)} on ${r.load.cores} cores at the end of the attack`,
    `/healthz during the attack: ${r.healthz.samples} probes, p50 ${f(r.healthz.p50)} ms, p99 ${f(r.healthz.p99)} ms (target ≤ 50), max ${f(r.healthz.max)} ms, ${r.healthz.failures} failed`,
    `RSS: ${f(r.rssMb.start)} MB at start, ${f(r.rssMb.peak)} MB peak, ${f(r.rssMb.afterSettle)} MB 60 s after (${f((r.rssMb.afterSettle / r.rssMb.start - 1) * 100)}%, target within 20%)`,
    `bad requests answered: ${Object.entries(r.statuses).sort().map(([s, n]) => `${n}× ${s}`).join(', ')}`,
    `slow bodies closed by the ingress: ${r.slow.bodyClosedByServer}/50, the last after ${f(r.slow.bodyClosedAfterMs / 1000)} s; slow headers: ${r.slow.headerClosedByServer}/50, the last after ${f(r.slow.headerClosedAfterMs / 1000)} s`,
    `unauthenticated 15 MB codec posts: ${r.codec.answered401}/40 answered 401, slowest ${f(r.codec.maxMs)} ms`,
    `error-level log lines: ${r.errorLines} (target 0)${r.errorExamples.length ? `, e.g. ${r.errorExamples.join(' | ')}` : ''}`,
  ];
}

/** Misses against the targets, for `npm run chaos`'s "lost" list. */
export function abuseMisses(r: AbuseResult): Array<[string, number]> {
  return [
    ['ms of /healthz p99 over 50', Math.max(0, Math.round(r.healthz.p99 - 50))],
    ['failed /healthz probes', r.healthz.failures],
    ['% of RSS above start + 20% after 60 s', Math.max(0, Math.round((r.rssMb.afterSettle / r.rssMb.start - 1.2) * 100))],
    ['slow connections the ingress never closed', 100 - r.slow.bodyClosedByServer - r.slow.headerClosedByServer],
    ['codec posts not refused 401', 40 - r.codec.answered401],
    ['error-level log lines', r.errorLines],
  ];
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const { startTemporal } = await import('../bench/support/temporal');
  const server = await startTemporal();
  try {
    const result = await runAbuse({ temporalAddress: server.address });
    for (const line of describeAbuse(result)) console.log(line);
    process.exitCode = abuseMisses(result).some(([, n]) => n > 0) ? 1 : 0;
  } finally {
    await server.stop();
  }
}
