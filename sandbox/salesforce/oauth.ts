/**
 * The OAuth 2.0 token endpoint jsforce's `authorize` posts to: the client-credentials flow (the
 * connected app's run-as user) and the JWT bearer flow (RS256 assertion signed with the connected
 * app's certificate key, iss = client id, sub = username, aud = login URL). It answers what jsforce
 * needs: access_token, instance_url and the identity URL `id` (…/id/<orgId>/<userId>).
 */
import { createHmac, createPublicKey, randomBytes, verify, type KeyObject } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Clock } from '../clock';
import type { SalesforceStore } from './store';

export interface OAuthConfig {
  clientId: string;
  clientSecret: string;
  /** PEM public key (or certificate) for JWT bearer assertions; without it the JWT flow is refused. */
  jwtPublicKey?: string;
  /** Issued tokens stop working after this long (INVALID_SESSION_ID), as sessions time out. */
  sessionTtlMs?: number;
}

export interface Sessions {
  userFor(token: string): string | undefined;
  issue(userId: string): string;
  /** Expires every session now: the next call answers 401 and a client must authorize again. */
  revokeAll(): void;
}

export function createSessions(clock: Clock, ttlMs = 2 * 60 * 60 * 1000): Sessions {
  const sessions = new Map<string, { userId: string; expiresAt: number }>();
  return {
    userFor(token) {
      const session = sessions.get(token);
      return session && session.expiresAt > clock() ? session.userId : undefined;
    },
    issue(userId) {
      const token = `00D8d000000sbx!${randomBytes(24).toString('base64url')}`;
      sessions.set(token, { userId, expiresAt: clock() + ttlMs });
      return token;
    },
    revokeAll: () => sessions.clear(),
  };
}

const tokenRequest = z.discriminatedUnion('grant_type', [
  z.object({ grant_type: z.literal('client_credentials'), client_id: z.string(), client_secret: z.string() }),
  z.object({ grant_type: z.literal('urn:ietf:params:oauth:grant-type:jwt-bearer'), assertion: z.string() }),
]);
const jwtClaims = z.object({ iss: z.string(), sub: z.string(), aud: z.string(), exp: z.number() });

function oauthError(reply: FastifyReply, error: string, description: string): FastifyReply {
  return reply.code(400).type('application/json;charset=UTF-8').send({ error, error_description: description });
}

/** The username in a valid RS256 assertion for this client, or an OAuth error name. */
function verifyAssertion(assertion: string, config: OAuthConfig, key: KeyObject | undefined, audience: string, now: number): { username: string } | { error: string } {
  const [header, payload, signature] = assertion.split('.');
  if (!header || !payload || !signature || !key) return { error: 'invalid_grant' };
  const parsedHeader = z.object({ alg: z.literal('RS256') }).safeParse(JSON.parse(Buffer.from(header, 'base64url').toString('utf8')));
  if (!parsedHeader.success) return { error: 'invalid_grant' };
  if (!verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, 'base64url'))) return { error: 'invalid_grant' };
  const claims = jwtClaims.safeParse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
  if (!claims.success || claims.data.iss !== config.clientId) return { error: 'invalid_client_id' };
  if (claims.data.aud !== audience || claims.data.exp * 1000 <= now) return { error: 'invalid_grant' };
  return { username: claims.data.sub };
}

export function registerOAuthRoutes(
  app: FastifyInstance,
  options: { config: OAuthConfig; store: SalesforceStore; sessions: Sessions; clock: Clock; orgId: string; baseUrl: () => string },
): void {
  const { config, store, sessions, clock, orgId } = options;
  const key = config.jwtPublicKey ? createPublicKey(config.jwtPublicKey) : undefined;

  app.post('/services/oauth2/token', { config: { operation: 'oauth.token' } }, async (request, reply) => {
    const parsed = tokenRequest.safeParse(request.body);
    if (!parsed.success) return oauthError(reply, 'unsupported_grant_type', 'grant type not supported');
    let userId: string | undefined;
    if (parsed.data.grant_type === 'client_credentials') {
      if (parsed.data.client_id !== config.clientId || parsed.data.client_secret !== config.clientSecret) {
        return oauthError(reply, 'invalid_client', 'invalid client credentials');
      }
      userId = store.apiUserId;
    } else {
      let outcome: ReturnType<typeof verifyAssertion>;
      try {
        outcome = verifyAssertion(parsed.data.assertion, config, key, options.baseUrl(), clock());
      } catch {
        outcome = { error: 'invalid_grant' };
      }
      if ('error' in outcome) return oauthError(reply, outcome.error, 'invalid assertion');
      userId = store.list('User').find((u) => u.fields.Username === outcome.username && u.fields.IsActive === true)?.id;
      if (!userId) return oauthError(reply, 'invalid_grant', 'user hasn\'t approved this consumer');
    }
    const baseUrl = options.baseUrl();
    const id = `${baseUrl}/id/${orgId}/${userId}`;
    const issuedAt = String(clock());
    return reply.type('application/json;charset=UTF-8').send({
      access_token: sessions.issue(userId),
      instance_url: baseUrl,
      id,
      token_type: 'Bearer',
      issued_at: issuedAt,
      // Salesforce signs the identity URL and issue time with the consumer secret, so a client can
      // check the answer came from the org it registered with.
      signature: createHmac('sha256', config.clientSecret).update(id + issuedAt).digest('base64'),
      scope: 'api',
    });
  });
}
