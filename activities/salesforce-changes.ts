/**
 * Leads changed since a cursor, without gaps. Salesforce compares SystemModstamp at whole seconds
 * (milliseconds are ignored when filtering) and may order records within one second either way, so
 * the cursor is (second, Id): the rest of the cursor's second is read by Id, later seconds by time,
 * and a page that ends inside a second is cut at that second, which is then re-read by Id.
 *
 * Only settled seconds are read (ended SETTLE_MS ago by the worker's clock): a record changed later in
 * the cursor's own second would fall behind a (second, Id) cursor — `= second AND Id > afterId` and
 * `> second` both miss it — and never be read.
 */
import type { SalesforceCursor, SalesforceRecord } from './ports';
import { isoInstant, type queryPageSchema } from './salesforce-records';
import { soqlFields, soqlLiteral } from './soql';
import type { z } from 'zod';

type Page = z.infer<typeof queryPageSchema>['records'];
export type RunQuery = (soql: string) => Promise<Page>;

const MODSTAMP = 'SystemModstamp';
/** How long after a second ends its changes are read; more than the clock skew between Salesforce and the workers. */
export const SETTLE_MS = 2_000;

function secondOf(record: Page[number]): string {
  return `${isoInstant(String(record[MODSTAMP])).slice(0, 19)}Z`;
}

export async function leadsChangedSince(
  run: RunQuery,
  input: { cursor: SalesforceCursor; fields: string[]; limit: number },
  toRecord: (raw: Page[number]) => SalesforceRecord,
): Promise<{ leads: SalesforceRecord[]; cursor: SalesforceCursor }> {
  const limit = Math.max(1, Math.min(input.limit, 2000));
  const select = `SELECT ${soqlFields([...new Set(['Id', MODSTAMP, ...input.fields])])} FROM Lead`;
  const since = new Date(input.cursor.since);
  const settled = new Date(Math.floor((Date.now() - SETTLE_MS) / 1000) * 1000);
  const sameSecond = (second: Date, afterId: string | undefined, n: number) =>
    run(`${select} WHERE ${MODSTAMP} = ${soqlLiteral(second)}${afterId ? ` AND Id > ${soqlLiteral(afterId)}` : ''} ORDER BY Id ASC LIMIT ${n}`);

  const collected: Page = input.cursor.afterId ? await sameSecond(since, input.cursor.afterId, limit) : [];
  if (collected.length < limit) {
    const wanted = limit - collected.length;
    const later = await run(
      // A cursor without an Id has read nothing of its second yet (a watcher's first cursor): read all of it.
      `${select} WHERE ${MODSTAMP} ${input.cursor.afterId ? '>' : '>='} ${soqlLiteral(since)} AND ${MODSTAMP} < ${soqlLiteral(settled)} ORDER BY ${MODSTAMP} ASC, Id ASC LIMIT ${wanted}`,
    );
    const last = later.at(-1);
    if (later.length < wanted || !last) {
      collected.push(...later);
    } else {
      const cut = secondOf(last);
      collected.push(...later.filter((r) => secondOf(r) !== cut));
      collected.push(...(await sameSecond(new Date(cut), undefined, limit - collected.length)));
    }
  }
  const last = collected.at(-1);
  return {
    leads: collected.map(toRecord),
    cursor: last ? { since: new Date(secondOf(last)).toISOString(), afterId: last.Id } : input.cursor,
  };
}
