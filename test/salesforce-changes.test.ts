/**
 * leadsChangedSince through jsforce against the sandbox, reading through the present. Date is faked
 * (nothing else) and set step by step, moving on with real time in between (the adapter's call budget
 * paces requests by it): the worker's clock and, through it, Salesforce's, so which seconds have
 * settled is known to within the few milliseconds a step takes; `skewMs` sets Salesforce's clock apart.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SalesforceCursor, SalesforcePort } from '../activities/ports';
import { createSalesforceAdapter, READ_AHEAD_LIMIT } from '../activities/crm';
import { SALESFORCE_LEAD_FIELDS as SF } from '../mappings/crm';
import { startSalesforceSandbox, type SalesforceSandbox } from '../sandbox';

describe('reading lead changes through the present', () => {
  let sandbox: SalesforceSandbox;
  let salesforce: SalesforcePort;
  let skewMs = 0;
  const at = (iso: string) => vi.setSystemTime(Date.parse(iso));
  const createLead = (name: string) => sandbox.store.create('Lead', { LastName: name, Company: 'Watched' }).id;
  const setStatus = (leadId: string, status: string) => sandbox.store.update('Lead', leadId, { [SF.status]: status });

  /** Reads from `since` on, the cursor passed on as JSON, as activity results and continue-as-new carry it. */
  function reader(since: string) {
    let cursor: SalesforceCursor = { since };
    const returned: Array<{ id: string; status: unknown; modstamp: unknown }> = [];
    return {
      returned,
      cursor: () => cursor,
      async read(limit = 200) {
        const page = await salesforce.leadsChangedSince({ cursor, fields: [SF.status, SF.systemModstamp], limit });
        cursor = JSON.parse(JSON.stringify(page.cursor)) as SalesforceCursor;
        returned.push(...page.leads.map((l) => ({ id: l.id, status: l.fields[SF.status], modstamp: l.fields[SF.systemModstamp] })));
        return { ids: page.leads.map((l) => l.id), more: page.more };
      },
    };
  }

  beforeAll(async () => {
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
    at('2026-06-01T09:00:00.000Z');
    sandbox = await startSalesforceSandbox({ clock: () => Date.now() + skewMs });
    salesforce = createSalesforceAdapter({ instanceUrl: sandbox.instanceUrl, accessToken: sandbox.accessToken });
  });
  afterAll(async () => {
    await sandbox?.stop();
    vi.useRealTimers();
  });

  it('returns a change in the current, unsettled second on the very next read', async () => {
    const changes = reader('2026-06-01T09:01:00.000Z');
    at('2026-06-01T09:01:10.100Z');
    const lead = createLead('Now');
    at('2026-06-01T09:01:10.300Z');
    expect((await changes.read()).ids).toEqual([lead]);
  });

  it('returns each change exactly once across repeated reads, before and after its second settles', async () => {
    const changes = reader('2026-06-01T09:02:00.000Z');
    const expected: string[] = [];
    // Five leads in one second, created in an order that runs against their milliseconds.
    for (const ms of [900, 100, 500, 700, 300]) {
      at(`2026-06-01T09:02:10.${ms}Z`);
      expected.push(createLead(`Second${ms}`));
    }
    at('2026-06-01T09:02:10.950Z');
    expect([...(await changes.read()).ids].sort()).toEqual([...expected].sort());
    at('2026-06-01T09:02:11.200Z');
    expected.push(createLead('Next'));
    for (const now of ['11.500', '12.500', '13.500', '15.000', '20.000']) {
      at(`2026-06-01T09:02:${now}Z`);
      await changes.read();
    }
    expect(changes.returned.map((r) => r.id).sort()).toEqual([...expected].sort());
    // Everything has settled and been passed: nothing is left to remember.
    expect(changes.cursor().readAhead).toBeUndefined();
  });

  it('returns a second change to the same lead made later in the same second', async () => {
    at('2026-06-01T09:03:05.000Z');
    const lead = createLead('Twice');
    const changes = reader('2026-06-01T09:03:10.000Z');
    at('2026-06-01T09:03:10.100Z');
    setStatus(lead, 'Working - Contacted');
    at('2026-06-01T09:03:10.200Z');
    await changes.read();
    at('2026-06-01T09:03:10.600Z');
    setStatus(lead, 'Closed - Not Converted');
    at('2026-06-01T09:03:10.700Z');
    await changes.read();
    for (const now of ['11.500', '13.500', '16.000']) {
      at(`2026-06-01T09:03:${now}Z`);
      await changes.read();
    }
    expect(changes.returned.map(({ id, status }) => ({ id, status }))).toEqual([
      { id: lead, status: 'Working - Contacted' },
      { id: lead, status: 'Closed - Not Converted' },
    ]);
    const [first, second] = changes.returned.map((r) => String(r.modstamp));
    expect(first?.slice(0, 19)).toBe('2026-06-01T09:03:10');
    expect(second?.slice(0, 19)).toBe('2026-06-01T09:03:10');
  });

  it('still returns changes stamped behind the ones read ahead, when Salesforce runs behind the worker', async () => {
    const changes = reader('2026-06-01T09:04:00.000Z');
    at('2026-06-01T09:04:10.500Z');
    const first = createLead('First');
    at('2026-06-01T09:04:10.600Z');
    expect((await changes.read()).ids).toEqual([first]);
    // Written now, stamped by a Salesforce clock 0.4 s and then 1.5 s behind: behind what was read ahead.
    at('2026-06-01T09:04:10.800Z');
    skewMs = -400;
    const sameSecond = createLead('Behind');
    skewMs = -1500;
    const secondBefore = createLead('FurtherBehind');
    skewMs = 0;
    at('2026-06-01T09:04:10.900Z');
    expect([...(await changes.read()).ids].sort()).toEqual([sameSecond, secondBefore].sort());
    for (const now of ['12.000', '14.000', '16.000']) {
      at(`2026-06-01T09:04:${now}Z`);
      await changes.read();
    }
    expect(changes.returned.map((r) => r.id).sort()).toEqual([first, sameSecond, secondBefore].sort());
  });

  it(`remembers at most ${READ_AHEAD_LIMIT} unsettled changes; the others follow once settled, each once`, async () => {
    const changes = reader('2026-06-01T09:05:00.000Z');
    const leads: string[] = [];
    for (let i = 0; i < READ_AHEAD_LIMIT + 50; i++) {
      at(new Date(Date.parse('2026-06-01T09:05:10.000Z') + i * 5).toISOString());
      leads.push(createLead(`Crowd${i}`));
    }
    at('2026-06-01T09:05:10.900Z');
    expect((await changes.read()).ids).toEqual(leads.slice(0, READ_AHEAD_LIMIT));
    expect(changes.cursor().readAhead).toHaveLength(READ_AHEAD_LIMIT);
    at('2026-06-01T09:05:11.500Z');
    expect((await changes.read()).ids).toEqual([]);
    at('2026-06-01T09:05:13.100Z');
    expect([...(await changes.read()).ids].sort()).toEqual(leads.slice(READ_AHEAD_LIMIT).sort());
    expect(changes.cursor().readAhead).toBeUndefined();
  });

  it('says there is more only when reading again at once moves on, never for a page of changes already returned', async () => {
    const changes = reader('2026-06-01T09:06:00.000Z');
    const settled: string[] = [];
    const tail: string[] = [];
    for (const ms of [100, 200, 300]) {
      at(`2026-06-01T09:06:10.${ms}Z`);
      settled.push(createLead(`Settled${ms}`));
    }
    for (const ms of [100, 200, 300]) {
      at(`2026-06-01T09:06:15.${ms}Z`);
      tail.push(createLead(`Tail${ms}`));
    }
    at('2026-06-01T09:06:15.400Z');
    const pages = [];
    for (let page = await changes.read(2); ; page = await changes.read(2)) {
      pages.push(page);
      if (!page.more || pages.length > 10) break;
    }
    // Pages of two: the settled second, then the tail until what is left is already returned.
    expect(pages).toEqual([
      { ids: settled.slice(0, 2), more: true },
      { ids: [settled[2], tail[0]], more: true },
      { ids: [tail[1]], more: false },
    ]);
    at('2026-06-01T09:06:18.500Z');
    for (let polls = 0; polls < 5; polls++) await changes.read(2);
    expect(changes.returned.map((r) => r.id)).toEqual([...settled, ...tail]);
  });
});
