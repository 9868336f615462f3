/**
 * `npm run chaos`: the reliability scenarios at full size, each followed by what was lost. The answer
 * must be nothing; the process exits 1 when anything was.
 *
 *   npm run chaos -- [--kill-leads 2000] [--restart-leads 200] [--fault-leads 200] [--webhooks 4000]
 *                    [--abuse 1] [--temporal dev|cluster]
 *
 * `--temporal cluster` runs the scenarios against the `npm run cluster` cluster with two worker
 * processes sharing the call budgets: the kill scenario then runs at the product's budgets with
 * HubSpot's 190 / 10 s enforced (busiest 10 s counted on the wire), and the dev-server restart
 * scenario (it restarts a dev server on its SQLite file) is left out. 0 skips a scenario.
 *
 * The ingress abuse run (chaos/abuse.ts) comes last; `npx tsx chaos/abuse.ts` runs it on its own.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { connectClient, parseTemporalTarget, startTemporalTarget, writeWorkflowBundle } from '../bench/support/temporal';
import { abuseMisses, describeAbuse, runAbuse } from './abuse';
import { runBadInput } from './bad-input';
import { runCrmFaults } from './crm-faults';
import { runServerRestart } from './server-restart';
import { runWorkerKill } from './worker-kill';

const { values } = parseArgs({
  options: {
    'kill-leads': { type: 'string', default: '2000' },
    'restart-leads': { type: 'string', default: '200' },
    'fault-leads': { type: 'string', default: '200' },
    webhooks: { type: 'string', default: '4000' },
    temporal: { type: 'string', default: 'dev' },
    abuse: { type: 'string', default: '1' },
  },
});

Runtime.install({ logger: new DefaultLogger('ERROR') });
const scratchDir = mkdtempSync(join(tmpdir(), 'handoff-chaos-'));
const server = await startTemporalTarget(parseTemporalTarget(values.temporal));
const onCluster = server.target === 'cluster';
console.log(`chaos on the ${server.describe}`);
const client = await connectClient(server.address);
const bundlePath = await writeWorkflowBundle(scratchDir);
const base = { client, temporalAddress: server.address, bundlePath, scratchDir, workerProcesses: server.workerProcesses };
const lost: string[] = [];
const report = (scenario: string, figures: string, losses: Array<[string, number]>): void => {
  const found = losses.filter(([, n]) => n > 0).map(([what, n]) => `${n} ${what}`);
  lost.push(...found.map((f) => `${scenario}: ${f}`));
  console.log(`\n${scenario}\n  ${figures}\n  lost: ${found.length ? found.join(', ') : 'nothing'}`);
};

try {
  if (Number(values['kill-leads']) > 0) {
    const kill = await runWorkerKill({ ...base, leads: Number(values['kill-leads']), killEveryMs: 5_000, killForMs: 120_000, timeoutMs: 15 * 60_000, limits: onCluster ? 'product' : 'raised' });
    const budget = onCluster ? `; busiest 10 s at HubSpot: ${kill.busiestHubspot10s} calls (limit 190), ${kill.hubspotRateLimited} answered 429` : '';
    const killed = server.workerProcesses > 1 ? `one of ${server.workerProcesses} worker processes SIGKILLed` : 'worker SIGKILLed';
    report(`${killed} every 5 s for the first 2 min of a ${kill.leads}-lead burst`, `${kill.kills} kills, all alerted after ${kill.seconds.toFixed(0)} s, ${kill.repeatedAlerts} handoffs alerted twice (at-least-once delivery)${budget}`, [
      ['leads never assigned', kill.unassigned.length],
      ['leads never alerted', kill.notAlerted],
      ['duplicate Salesforce leads', kill.duplicateSalesforceLeads.length],
      ...(onCluster ? [['HubSpot calls over the 190 / 10 s limit', Math.max(0, kill.busiestHubspot10s - 190)] as [string, number]] : []),
    ]);
  }

  if (!onCluster && Number(values['restart-leads']) > 0) {
    const restart = await runServerRestart({ bundlePath, scratchDir, leads: Number(values['restart-leads']), downMs: 10_000, timeoutMs: 10 * 60_000, closeBy: 'breach' });
    report(`Temporal dev server stopped for 10 s and restarted on its SQLite file, ${restart.leads} handoffs parked on 1-minute timers`, `${restart.parkedAtStop} parked at the stop, all closed after ${restart.seconds.toFixed(0)} s`, [
      ['handoffs not breached and reverted', restart.notClosed.count],
      ['leads never assigned', restart.unassigned.length],
      ['duplicate Salesforce leads', restart.duplicateSalesforceLeads.length],
    ]);
    if (restart.notClosed.count) console.log(`  e.g. ${restart.notClosed.examples.join('; ')}`);
  }

  if (Number(values['fault-leads']) > 0) {
    const faults = await runCrmFaults({ ...base, leads: Number(values['fault-leads']), phaseMs: 20_000, timeoutMs: 15 * 60_000, closeBy: 'breach' });
    report(`CRM faults in both sandboxes (${faults.phases.join(' → ')}), ${faults.leads} handoffs start to close`, `closed after ${faults.seconds.toFixed(0)} s; HubSpot answered ${faults.hubspotAnswers.ok} ok, ${faults.hubspotAnswers.rateLimited} 429, ${faults.hubspotAnswers.serverErrors} 5xx; busiest 10 s: ${faults.busiestHubspot10s} calls (budget 190)`, [
      ['handoffs not closed', faults.notClosed.count],
      ['duplicate Salesforce leads', faults.duplicateSalesforceLeads.length],
      ['duplicate nurture-list memberships', faults.duplicateListMemberships],
      ['HubSpot calls over the 190 / 10 s budget', Math.max(0, faults.busiestHubspot10s - 190)],
    ]);
    if (faults.notClosed.count) console.log(`  e.g. ${faults.notClosed.examples.join('; ')}`);
  }

  const webhooks = Number(values.webhooks);
  if (webhooks > 0) {
    const bad = await runBadInput({ client, webhooks, contracts: webhooks / 2, environments: webhooks / 2 });
    const w = bad.webhooks;
    report(`bad input: ${w.forged} forged and ${w.malformed} malformed signed webhooks, ${bad.contracts.cases} contract files, ${bad.environments.cases} environments`, `replay within 5 min: accepted ${w.replayWithinWindow.accepted}×, ${w.replayWithinWindow.handoffs} handoff; contracts ${bad.contracts.rejectedClearly} refused clearly, ${bad.contracts.accepted} still valid; environments ${bad.environments.rejectedClearly} refused clearly, ${bad.environments.accepted} valid`, [
      ['accepted forgeries', w.acceptedForgeries.length],
      ['ingress crashes (5xx, dropped connections)', w.crashes.length + (w.healthyAfter ? 0 : 1)],
      ['unexplained webhook refusals', w.unclear.length],
      ['duplicate handoffs from a replay', Math.max(0, w.replayWithinWindow.handoffs - 1)],
      ['contract parser crashes', bad.contracts.crashes.length],
      ['contract errors without file:line path: reason', bad.contracts.unclear.length],
      ['config crashes', bad.environments.crashes.length],
      ['config errors not naming the variable', bad.environments.unclear.length],
      ['secret values echoed in config errors', bad.environments.leakedSecrets.length],
    ]);
    for (const example of [...w.crashes, ...w.unclear, ...bad.contracts.crashes, ...bad.contracts.unclear, ...bad.environments.unclear].slice(0, 5)) console.log(`  e.g. ${example}`);
  }

  if (values.abuse !== '0') {
    const abuse = await runAbuse({ temporalAddress: server.address });
    const [first = '', ...rest] = describeAbuse(abuse);
    report('ingress abuse (loopback): 1,000 concurrent bad requests, 50 slow-body and 50 slow-header connections, 40 unauthenticated 15 MB codec posts', [first, ...rest].join('\n  '), abuseMisses(abuse));
  }
} finally {
  await client.connection.close();
  await server.stop();
  rmSync(scratchDir, { recursive: true, force: true });
}

console.log(lost.length ? `\nLOST:\n${lost.map((l) => `  ${l}`).join('\n')}` : '\nnothing was lost');
process.exitCode = lost.length ? 1 : 0;
