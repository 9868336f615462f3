/**
 * Query results held for queryMore: the first page answers at once, the rest wait under a locator
 * (`<cursor>-<offset>`) as Salesforce's nextRecordsUrl does. Old cursors are evicted.
 */
import { randomBytes } from 'node:crypto';
import { SalesforceError } from './errors';

export interface QueryPage<R> {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: R[];
}

export class QueryCursors<R> {
  private readonly cursors = new Map<string, R[]>();

  constructor(private readonly maxCursors = 500) {}

  firstPage(rows: R[], pageSize: number, version: string): QueryPage<R> {
    if (rows.length <= pageSize) return { totalSize: rows.length, done: true, records: rows };
    const cursor = `01g${randomBytes(6).toString('hex').toUpperCase()}`;
    this.cursors.set(cursor, rows);
    if (this.cursors.size > this.maxCursors) this.cursors.delete(this.cursors.keys().next().value ?? cursor);
    return this.page(cursor, 0, pageSize, version);
  }

  nextPage(locator: string, pageSize: number, version: string): QueryPage<R> {
    const match = /^(01g[0-9A-F]+)-(\d+)$/.exec(locator);
    if (!match?.[1] || !match[2] || !this.cursors.has(match[1])) throw new SalesforceError('INVALID_QUERY_LOCATOR', 'invalid query locator');
    return this.page(match[1], Number(match[2]), pageSize, version);
  }

  private page(cursor: string, offset: number, pageSize: number, version: string): QueryPage<R> {
    const rows = this.cursors.get(cursor) ?? [];
    const records = rows.slice(offset, offset + pageSize);
    const next = offset + records.length;
    if (next >= rows.length) {
      this.cursors.delete(cursor);
      return { totalSize: rows.length, done: true, records };
    }
    return { totalSize: rows.length, done: false, nextRecordsUrl: `/services/data/v${version}/query/${cursor}-${next}`, records };
  }
}
