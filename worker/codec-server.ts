/**
 * The codec server: lets authorised people read encrypted payloads in the Temporal UI (and the CLI
 * with `--codec-endpoint`). Protocol (Temporal UI `codeServerRequest`): POST `{endpoint}/decode` and
 * `{endpoint}/encode` with `X-Namespace` and a JSON body `{ payloads: [{ metadata: { k: base64 },
 * data: base64 }] }`; the answer has the same shape. The browser calls it cross-origin, so the CORS
 * preflight must allow the UI's origin and the headers it sends.
 *
 * Auth: with a token configured, `Authorization: Bearer <token>` is required (constant-time compare).
 * Without one (sandbox mode only: live mode requires CODEC_AUTH_TOKEN), only loopback callers are
 * served: the local dev UI runs in a browser on the same machine. Auth is checked when the headers
 * arrive, before a byte of the body is read, and the HTTP server closes an unauthorised caller's
 * connection rather than draining it: a stranger's 15 MB costs the bridge nothing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import cors from '@fastify/cors';
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';

export const DEFAULT_UI_ORIGINS = ['http://localhost:8233', 'http://127.0.0.1:8233'];

/**
 * The largest body the codec reads. The UI decodes one event's payloads per request, and Temporal
 * refuses any payload over 2 MB (its default blob size limit): 2 MB of base64 plus the JSON around it.
 */
export const CODEC_BODY_LIMIT_BYTES = Math.ceil((2 * 1024 * 1024 * 4) / 3) + 64 * 1024;

export interface CodecRoutesOptions {
  codec: PayloadCodec;
  /** Bearer token required on /decode and /encode; loopback-only access when unset. */
  authToken?: string;
  /** Browser origins allowed to call (the Temporal UI). */
  allowedOrigins?: string[];
  /** When set, requests naming another namespace in X-Namespace are refused. */
  namespace?: string;
  /** Where the routes live: the UI is pointed at `http://host:port{prefix}`. */
  prefix?: string;
}

const base64 = z.string().regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'must be base64');
const jsonPayload = z.object({
  metadata: z.record(z.string(), base64).nullish(),
  data: base64.nullish(),
});
const codecBody = z.object({ payloads: z.array(jsonPayload) });
type JsonPayload = z.infer<typeof jsonPayload>;

function fromJson(payload: JsonPayload): Payload {
  return {
    metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
    data: Buffer.from(payload.data ?? '', 'base64'),
  };
}

function toJson(payload: Payload): { metadata: Record<string, string>; data: string } {
  return {
    metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
    data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64'),
  };
}

/** Compares digests, so neither the content nor the length of the token leaks through timing. */
export function tokensMatch(presented: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

function authorised(request: FastifyRequest, authToken: string | undefined): boolean {
  if (authToken === undefined) return LOOPBACK.has(request.socket.remoteAddress ?? '');
  const header = request.headers.authorization ?? '';
  const match = /^Bearer (.+)$/i.exec(header);
  return match?.[1] !== undefined && tokensMatch(match[1], authToken);
}

export async function registerCodecRoutes(app: FastifyInstance, options: CodecRoutesOptions): Promise<void> {
  await app.register(
    async (scope) => {
      await scope.register(cors, {
        origin: options.allowedOrigins ?? DEFAULT_UI_ORIGINS,
        methods: ['POST', 'OPTIONS'],
        allowedHeaders: ['content-type', 'x-namespace', 'authorization'],
        credentials: true,
        maxAge: 600,
      });

      // Runs on the headers alone (onRequest comes before body parsing).
      const requireAuth = async (request: FastifyRequest, reply: FastifyReply) => {
        if (authorised(request, options.authToken)) return;
        return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorised' });
      };

      const handle = (direction: 'encode' | 'decode') => async (request: FastifyRequest, reply: FastifyReply) => {
        const namespace = request.headers['x-namespace'];
        if (options.namespace && typeof namespace === 'string' && namespace !== options.namespace) {
          return reply.code(400).send({ error: `unknown namespace "${namespace}"` });
        }
        const body = codecBody.safeParse(request.body);
        if (!body.success) {
          return reply.code(400).send({ error: 'body must be { payloads: [{ metadata: { key: base64 }, data: base64 }] }' });
        }
        try {
          const payloads = await options.codec[direction](body.data.payloads.map(fromJson));
          return reply.send({ payloads: payloads.map(toJson) });
        } catch (err) {
          request.log.warn({ err }, `codec ${direction} failed`);
          return reply.code(400).send({ error: `could not ${direction} the payloads` });
        }
      };

      const routeOptions = { bodyLimit: CODEC_BODY_LIMIT_BYTES, onRequest: requireAuth };
      scope.post('/decode', routeOptions, handle('decode'));
      scope.post('/encode', routeOptions, handle('encode'));
    },
    { prefix: options.prefix ?? '' },
  );
}
