/**
 * SOQL query and queryMore. Page size follows the Sforce-Query-Options batchSize header (Salesforce
 * allows 200–2,000; the sandbox's floor is configurable so tests can page with a few records).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sendSalesforceError } from './errors';
import { QueryCursors } from './query-cursors';
import { answering, type VersionedParams } from './routes-sobjects';
import { evaluateQuery } from './soql/evaluate';
import { parseSoql } from './soql/parser';
import type { SalesforceStore } from './store';
import { recordToWire } from './wire';

export interface QueryPaging {
  /** Page size when the client names none (Salesforce: 2,000). */
  defaultPageSize: number;
  /** The smallest batchSize honoured (Salesforce: 200). */
  minPageSize: number;
}

export function registerQueryRoutes(app: FastifyInstance, store: SalesforceStore, base: string, paging: QueryPaging): void {
  const cursors = new QueryCursors<Record<string, unknown>>();
  const pageSize = (request: FastifyRequest): number => {
    const header = request.headers['sforce-query-options'];
    const match = typeof header === 'string' ? /batchSize=(\d+)/i.exec(header) : null;
    const asked = match?.[1] ? Number(match[1]) : paging.defaultPageSize;
    return Math.min(2000, Math.max(paging.minPageSize, asked));
  };

  for (const path of ['query', 'queryAll']) {
    app.get<{ Params: VersionedParams; Querystring: { q?: string } }>(`${base}/${path}`, { config: { operation: 'query' } }, async (request, reply) => {
      const soql = request.query.q;
      if (!soql) return sendSalesforceError(reply, 400, 'MALFORMED_QUERY', 'A query string has to be specified');
      const version = request.params.version.slice(1);
      return answering(reply, () => {
        const { type, rows } = evaluateQuery(parseSoql(soql), (t) => store.list(t));
        const wire = rows.map((row) => recordToWire(version, type, row.id, row.values));
        return cursors.firstPage(wire, pageSize(request), version);
      });
    });
  }

  app.get<{ Params: VersionedParams & { locator: string } }>(`${base}/query/:locator`, { config: { operation: 'queryMore' } }, async (request, reply) =>
    answering(reply, () => cursors.nextPage(request.params.locator, pageSize(request), request.params.version.slice(1))),
  );
}
