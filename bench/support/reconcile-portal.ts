/**
 * The reconciliation benchmark's CRMs in a process of their own, as the real ones are elsewhere: the
 * sandboxes seeded with a portal with a past, answering the bridge over HTTP. Their heap (100,000
 * contacts with histories, 100,000 leads) and their request handling stay out of the measured
 * process, which otherwise spent much of its time collecting garbage across the sandboxes' heap.
 * Run by bench/reconcile.ts (fork, IPC): `ready` once seeded, then `requests` / `reset` / `stop`.
 */
import { parseArgs } from 'node:util';
import { startSandboxes } from '../../sandbox';

export type PortalMessage =
  | { type: 'ready'; seedSeconds: number; changed: { twoWay: number; oneWay: number; flipFlops: number }; hubspot: { accessToken: string; basePath: string; portalId: string }; salesforce: { instanceUrl: string; loginUrl: string; clientId: string; clientSecret: string } }
  | { type: 'requests'; hubspot: Record<string, number>; salesforce: Record<string, number>; cpuSeconds: number }
  | { type: 'reset' };

const { values } = parseArgs({ options: { leads: { type: 'string', default: '100000' }, 'keep-limits': { type: 'boolean', default: false } } });
const total = Number(values.leads);
const send = (message: PortalMessage) => process.send?.(message);

// HubSpot stamps every write with its clock: seeding moves it back to date the portal's history.
const DAY_MS = 86_400_000;
let clockOffsetMs = 0;
const sandboxes = await startSandboxes({
  // The snapshot is read right after seeding: search must already see every seeded contact.
  hubspot: {
    searchLagMs: 0,
    clock: () => Date.now() + clockOffsetMs,
    ...(values['keep-limits'] ? {} : { rateLimits: { tenSecondly: 1_000_000, searchPerSecond: 1_000_000, daily: 10_000_000 } }),
  },
  salesforce: { dailyApiLimit: 10_000_000 },
});
const hs = sandboxes.hubspot.store;
const sf = sandboxes.salesforce.store;
const seedStarted = performance.now();
const reps = Array.from({ length: 5 }, (_, i) => {
  const email = `rep${i}@sales.example`;
  return { ownerId: hs.addOwner({ email, firstName: `Rep${i}`, lastName: 'Bench' }).id, userId: sf.create('User', { Username: email, Email: email, LastName: `Rep${i}` }).id };
});
// A portal with a past: every pair imported 400 days ago, mostly consistent; every 100th has another
// owner in Salesforce, every 250th a status drift.
clockOffsetMs = -400 * DAY_MS;
const contactIds: string[] = [];
for (let i = 0; i < total; i++) {
  const rep = reps[i % reps.length];
  const other = reps[(i + 1) % reps.length];
  const email = `lead${i}@bench.example`;
  const leadId = sf.create('Lead', { LastName: `Lead${i}`, Company: 'Bench Ltd', Email: email, Status: i % 250 === 0 ? 'Working - Contacted' : 'Open - Not Contacted', OwnerId: (i % 100 === 0 ? other : rep)?.userId }).id;
  contactIds.push(hs.createContact({ email, firstname: 'Bench', lastname: `Lead${i}`, lifecyclestage: 'lead', hs_lead_status: 'NEW', hubspot_owner_id: rep?.ownerId ?? '', salesforceleadid: leadId }, 'IMPORT').id);
}
// The last 30 days (the flip-flop window): every 40th contact had a two-way field changed (its first
// name, by a user, synced to Salesforce), every 40th another one a one-way field (lead status), and
// every 1,000th an owner that swung back and forth between a user and the connector (a flip-flop).
const changed = { twoWay: 0, oneWay: 0, flipFlops: 0 };
for (let i = 0; i < total; i++) {
  const id = contactIds[i] ?? '';
  clockOffsetMs = -(1 + (i % 28)) * DAY_MS;
  if (i % 40 === 1) {
    hs.update(id, { firstname: 'Benchmark' }, 'CRM_UI');
    sf.update('Lead', String(hs.value(id, 'salesforceleadid')), { FirstName: 'Benchmark' });
    changed.twoWay++;
  } else if (i % 40 === 2) {
    hs.update(id, { hs_lead_status: 'OPEN' }, 'CRM_UI');
    changed.oneWay++;
  } else if (i % 1000 === 3) {
    const [rep, other] = [reps[i % reps.length]?.ownerId ?? '', reps[(i + 2) % reps.length]?.ownerId ?? ''];
    for (const [n, owner] of [other, rep, other, rep].entries()) {
      clockOffsetMs = -(20 - n) * DAY_MS;
      hs.update(id, { hubspot_owner_id: owner }, n % 2 ? 'SALESFORCE' : 'CRM_UI');
    }
    changed.flipFlops++;
  }
}
clockOffsetMs = 0;
contactIds.length = 0;

let cpuAtReset = process.cpuUsage();
process.on('message', (message: PortalMessage | { type: 'stop' }) => {
  if (message.type === 'reset') {
    sandboxes.hubspot.requests.reset();
    sandboxes.salesforce.requests.reset();
    cpuAtReset = process.cpuUsage();
    send({ type: 'reset' });
  } else if (message.type === 'requests') {
    const cpu = process.cpuUsage(cpuAtReset);
    send({ type: 'requests', hubspot: sandboxes.hubspot.requests.all(), salesforce: sandboxes.salesforce.requests.all(), cpuSeconds: (cpu.user + cpu.system) / 1e6 });
  } else if (message.type === 'stop') {
    void sandboxes.stop().then(() => process.exit(0));
  }
});
send({
  type: 'ready',
  seedSeconds: (performance.now() - seedStarted) / 1000,
  changed,
  hubspot: { accessToken: sandboxes.hubspot.accessToken, basePath: sandboxes.hubspot.baseUrl, portalId: sandboxes.hubspot.portalId },
  salesforce: { instanceUrl: sandboxes.salesforce.instanceUrl, loginUrl: sandboxes.salesforce.loginUrl, clientId: sandboxes.salesforce.clientId, clientSecret: sandboxes.salesforce.clientSecret },
});
