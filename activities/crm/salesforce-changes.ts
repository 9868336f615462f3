/**
 * Leads changed since a cursor, through the present, without gaps and without repeats. Salesforce
 * compares SystemModstamp at whole seconds (milliseconds are ignored when filtering) and may order
 * records within one second either way, so the cursor's position is (second, Id): the rest of its
 * second is read by Id, later seconds by time, and a page that ends inside a settled second is cut at
 * that second, which is then re-read by Id.
 *
 * The position only passes settled seconds (ended SETTLE_MS ago by the worker's clock): a record
 * changed later in the position's own second would fall behind it — `= second AND Id > afterId` and
 * `> second` both miss it — and never be read. Changes in the unsettled seconds after it are returned
 * at once all the same, and remembered in the cursor as (Id, SystemModstamp) in `readAhead` until the
 * position passes them: re-reading that tail skips a change already returned, while a later change to
 * the same lead has a new SystemModstamp (Salesforce keeps milliseconds) and is returned again. A change
 * that becomes visible late, or that did not fit in `readAhead`, is still returned once its second
 * settles, because the position has not passed it.
 */
import type { SalesforceCursor, SalesforceRecord } from '../ports';
import { isoInstant, type queryPageSchema } from './salesforce-records';
import { soqlFields, soqlLiteral } from './soql';
import type { z } from 'zod';

type Page = z.infer<typeof queryPageSchema>['records'];
type Raw = Page[number];
export type RunQuery = (soql: string) => Promise<Page>;

const MODSTAMP = 'SystemModstamp';
/** How long after a second ends its changes are behind the position; more than the clock skew between Salesforce and the workers. */
export const SETTLE_MS = 2_000;
/** Most unsettled changes the cursor remembers (it crosses continue-as-new); further ones wait until they settle. */
export const READ_AHEAD_LIMIT = 100;

export interface ChangedLeads {
  leads: SalesforceRecord[];
  cursor: SalesforceCursor;
  /** The page was full and the position moved: reading again at once returns more. */
  more: boolean;
}

const modstampOf = (record: Raw): string => isoInstant(String(record[MODSTAMP]));
const secondOf = (instant: string): string => `${instant.slice(0, 19)}.000Z`;
const maxId = (ids: string[]): string | undefined => ids.reduce<string | undefined>((max, id) => (max === undefined || id > max ? id : max), undefined);

export async function leadsChangedSince(
  run: RunQuery,
  input: { cursor: SalesforceCursor; fields: string[]; limit: number },
  toRecord: (raw: Raw) => SalesforceRecord,
): Promise<ChangedLeads> {
  const limit = Math.max(1, Math.min(input.limit, 2000));
  const select = `SELECT ${soqlFields([...new Set(['Id', MODSTAMP, ...input.fields])])} FROM Lead`;
  const { afterId } = input.cursor;
  const since = secondOf(new Date(input.cursor.since).toISOString());
  const settledBefore = Math.floor((Date.now() - SETTLE_MS) / 1000) * 1000;
  const isSettled = (record: Raw) => Date.parse(secondOf(modstampOf(record))) < settledBefore;
  const sameSecond = (second: string, after: string | undefined, n: number) =>
    run(`${select} WHERE ${MODSTAMP} = ${soqlLiteral(new Date(second))}${after ? ` AND Id > ${soqlLiteral(after)}` : ''} ORDER BY Id ASC LIMIT ${n}`);

  // Seconds never decrease along `read`, so its settled records come first.
  const read: Page = afterId ? await sameSecond(since, afterId, limit) : [];
  let full = read.length === limit;
  if (!full) {
    const wanted = limit - read.length;
    const later = await run(
      // A cursor without an Id has read nothing of its second yet (a watcher's first cursor): read all of it.
      `${select} WHERE ${MODSTAMP} ${afterId ? '>' : '>='} ${soqlLiteral(new Date(since))} ORDER BY ${MODSTAMP} ASC, Id ASC LIMIT ${wanted}`,
    );
    const last = later.at(-1);
    full = later.length === wanted;
    if (!full || !last || !isSettled(last)) {
      // Complete, or cut inside the unsettled tail: the settled seconds it holds are whole.
      read.push(...later);
    } else {
      const cut = secondOf(modstampOf(last));
      read.push(...later.filter((r) => secondOf(modstampOf(r)) !== cut));
      read.push(...(await sameSecond(cut, undefined, limit - read.length)));
    }
  }

  const settled = read.filter(isSettled);
  const lastSettled = settled.at(-1);
  const position = lastSettled ? positionAfter(settled, secondOf(modstampOf(lastSettled))) : { since, afterId };

  const returned = new Map((input.cursor.readAhead ?? []).map((entry) => [entry.id, entry.modstamp]));
  const leads: SalesforceRecord[] = [];
  for (const record of read) {
    const modstamp = modstampOf(record);
    if (returned.get(record.Id) === modstamp) continue;
    if (!isSettled(record)) {
      if (!returned.has(record.Id) && returned.size >= READ_AHEAD_LIMIT) continue;
      returned.set(record.Id, modstamp);
    }
    leads.push(toRecord(record));
  }
  // Forget what the position has passed: reading from it never returns those again.
  const readAhead = [...returned]
    .filter(([id, modstamp]) => {
      const second = secondOf(modstamp);
      return second > position.since || (second === position.since && (position.afterId === undefined || id > position.afterId));
    })
    .map(([id, modstamp]) => ({ id, modstamp }));

  return {
    leads,
    cursor: { since: position.since, ...(position.afterId ? { afterId: position.afterId } : {}), ...(readAhead.length ? { readAhead } : {}) },
    more: full && lastSettled !== undefined,
  };
}

/**
 * The position after the settled records read: their last second, by the highest Id read in it.
 * Every record of that second up to that Id has been read: the second was read whole, or by Id.
 */
function positionAfter(settled: Page, second: string): { since: string; afterId?: string } {
  return { since: second, afterId: maxId(settled.filter((r) => secondOf(modstampOf(r)) === second).map((r) => r.Id)) };
}
