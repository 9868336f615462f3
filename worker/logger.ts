/**
 * Structured JSON logs (pino) that never carry secrets or personal data, and an adapter that routes
 * the Temporal Runtime's logs (SDK, Core, workflow and activity loggers) through the same pipeline.
 *
 * Redaction is by key at any depth (pino's path-based `redact` only reaches fixed depths, and CRM
 * payloads nest contacts inside batches inside errors), plus a last pass over each finished line
 * that masks anything shaped like an email address or a bearer token, wherever it hides.
 */
import type { Writable } from 'node:stream';
import type { Logger as TemporalLogger, LogLevel, LogMetadata } from '@temporalio/common';
import pino, { type Logger, type LevelWithSilent } from 'pino';

export const REDACTED = '[redacted]';

/** Keys (compared lower-case, without '_' and '-') whose values are secrets or personal data. */
const SENSITIVE_KEYS = new Set([
  'authorization',
  'cookie',
  'setcookie',
  'password',
  'secret',
  'token',
  'accesstoken',
  'refreshtoken',
  'clientsecret',
  'apikey',
  'email',
  'emailaddress',
  'firstname',
  'lastname',
  'fullname',
  'name',
  'phone',
  'mobilephone',
  'company',
  'street',
]);
const SENSITIVE_SUFFIXES = ['token', 'secret', 'password', 'email', 'phone', 'webhookurl'];

function isSensitiveKey(key: string): boolean {
  const normalised = key.toLowerCase().replace(/[_-]/g, '');
  return SENSITIVE_KEYS.has(normalised) || SENSITIVE_SUFFIXES.some((suffix) => normalised.endsWith(suffix));
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
const BEARER = /\b(Bearer|OAuth)\s+[A-Za-z0-9._~+/=-]+/gi;

/** Masks email addresses and bearer credentials inside free text (messages, error strings). */
export function scrubText(text: string): string {
  return text.replace(EMAIL, '[email]').replace(BEARER, '$1 [redacted]');
}

/** A copy of `value` with sensitive keys replaced at every depth and free text scrubbed. */
export function redactDeep(value: unknown, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, seen));
  const source: Record<string, unknown> =
    value instanceof Error ? { ...value, type: value.name, message: value.message, stack: value.stack } : (value as Record<string, unknown>);
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(source)) {
    out[key] = isSensitiveKey(key) && inner !== null && inner !== undefined ? REDACTED : redactDeep(inner, seen);
  }
  return out;
}

export interface LoggerOptions {
  level?: LevelWithSilent;
  /** Where lines go; stdout when unset (tests pass a collecting stream). */
  destination?: Writable;
  /** Fixed fields on every line, e.g. `{ service: 'worker' }`. */
  base?: Record<string, string>;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: 'handoff-bridge', ...options.base },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (object) => redactDeep(object) as Record<string, unknown>,
      },
      // The finished line is the last place a value can hide (a message string, a serialised error).
      hooks: { streamWrite: scrubText },
    },
    options.destination ?? pino.destination({ sync: false }),
  );
}

/** Webpack's build report and the bundle summary: useful when debugging, noise at info. */
function isBundlerChatter(message: string): boolean {
  return message === 'Workflow bundle created' || /\bwebpack \d+\.\d+\.\d+ compiled\b/.test(message);
}

/** Temporal puts symbols (the log timestamp) in metadata; JSON has no place for them. */
function plainMeta(meta: LogMetadata | undefined): Record<string, unknown> {
  return meta ? Object.fromEntries(Object.entries(meta)) : {};
}

/**
 * Adapts pino to Temporal's Logger, for `Runtime.install({ logger })` and `bundleWorkflowCode`.
 * Levels map one to one, except that the bundler's webpack report drops to debug.
 */
export function temporalLoggerFor(logger: Logger): TemporalLogger {
  const write = (level: LogLevel, message: string, meta?: LogMetadata) => {
    const effective = level === 'INFO' && isBundlerChatter(message) ? 'DEBUG' : level;
    const method = effective.toLowerCase() as 'trace' | 'debug' | 'info' | 'warn' | 'error';
    logger[method](plainMeta(meta), message);
  };
  return {
    log: write,
    trace: (message, meta) => write('TRACE', message, meta),
    debug: (message, meta) => write('DEBUG', message, meta),
    info: (message, meta) => write('INFO', message, meta),
    warn: (message, meta) => write('WARN', message, meta),
    error: (message, meta) => write('ERROR', message, meta),
  };
}
