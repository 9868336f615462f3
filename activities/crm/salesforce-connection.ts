/**
 * A jsforce Connection set up for the worker: the API version pinned (jsforce defaults to 50.0),
 * jsforce's own HTTP retries off (it retries 5xx and 429 up to five times, blind to Retry-After;
 * Temporal owns retries), a per-request timeout, and client-credentials sessions that are obtained
 * on first use and renewed when Salesforce answers INVALID_SESSION_ID.
 */
import { Connection } from 'jsforce';
import { Transport } from 'jsforce/lib/transport';
import type { HttpRequest, HttpRequestOptions } from 'jsforce/lib/types';
import { crmFailure } from './crm-errors';
import { CRM_ERROR_TYPES } from '../ports';
import { salesforceRateRefusal, UNMETERED, type CrmRequestMeter } from './request-meter';

export interface SalesforceConnectionOptions {
  instanceUrl?: string;
  accessToken?: string;
  loginUrl?: string;
  clientId?: string;
  clientSecret?: string;
  apiVersion?: string;
  requestTimeoutMs?: number;
  /** Counts each request (the token requests too) and each rate refusal (the bridge's crm_* metrics). */
  meter?: CrmRequestMeter;
}

class SingleAttemptTransport extends Transport {
  constructor(
    private readonly timeoutMs: number,
    private readonly meter: CrmRequestMeter,
  ) {
    super();
  }

  override httpRequest(req: HttpRequest, options: HttpRequestOptions = {}) {
    this.meter.sent();
    const response = super.httpRequest(req, { ...options, timeout: this.timeoutMs, retry: { ...options.retry, maxRetries: 0 } });
    // Observed on the side: jsforce reads the response (and its failure) from the promise returned.
    response.then(
      (res) => {
        if (salesforceRateRefusal(res.statusCode, res.body)) this.meter.rateLimited();
      },
      () => undefined,
    );
    return response;
  }
}

export interface SalesforceSession {
  connection: Connection;
  /** Resolves once the connection holds a session (authorizing with client credentials if needed). */
  ready(): Promise<Connection>;
}

export function createSalesforceSession(options: SalesforceConnectionOptions): SalesforceSession {
  const loginUrl = options.loginUrl ?? 'https://login.salesforce.com';
  const canAuthorize = options.clientId !== undefined && options.clientSecret !== undefined;
  const connection = new Connection({
    loginUrl,
    version: options.apiVersion ?? '62.0',
    ...(options.instanceUrl ? { instanceUrl: options.instanceUrl } : {}),
    ...(options.accessToken ? { accessToken: options.accessToken } : {}),
    ...(canAuthorize
      ? {
          oauth2: { loginUrl, clientId: options.clientId, clientSecret: options.clientSecret },
          // jsforce's default refresh needs a refresh token, which client credentials never get.
          refreshFn: (conn, callback) => {
            conn.oauth2.requestToken({ grant_type: 'client_credentials' }).then(
              (token) => {
                callback(null, token.access_token, token);
              },
              (err: unknown) => {
                callback(err instanceof Error ? err : new Error('token request failed'));
              },
            );
          },
        }
      : {}),
  });
  const transport = new SingleAttemptTransport(options.requestTimeoutMs ?? 30_000, options.meter ?? UNMETERED);
  connection._transport = transport;
  connection.oauth2._transport = transport;

  let authorizing: Promise<Connection> | undefined;
  return {
    connection,
    ready() {
      if (connection.accessToken) return Promise.resolve(connection);
      if (!canAuthorize) return Promise.reject(crmFailure(CRM_ERROR_TYPES.unauthorized, 'salesforce: no access token and no client credentials configured'));
      authorizing ??= connection.authorize({ grant_type: 'client_credentials' }).then(
        () => connection,
        (err: unknown) => {
          authorizing = undefined;
          throw err;
        },
      );
      return authorizing;
    },
  };
}
