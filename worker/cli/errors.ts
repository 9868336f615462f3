/**
 * The CLI's one error boundary: what a failure means to the person at the terminal, in one line
 * that says what to do. Commands throw; nothing below the boundary catches just to print.
 */
import { ApplicationFailure } from '@temporalio/common';
import { ContractError } from '../../mappings/load';
import { CRM_ERROR_TYPES } from '../../activities/ports';
import { SandboxSnapshotError } from '../../sandbox';
import { CodecKeyError, ENCRYPTED_ENCODING } from '../codec';
import { ConfigError, loadClientConfig } from '../config';
import { SearchAttributeConflictError } from '../search-attribute-conflict';
import { TemporalProvisioningError } from '../temporal-binaries';
import { TemporalUnreachableError } from '../temporal-client';

/** A command's own exit status other than 0 (a failed check, a refused update): already reported. */
export class ExitCode extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
    this.name = 'ExitCode';
  }
}

/** Ends an action with the status its logic returned. */
export async function exitWith(status: number | Promise<number>): Promise<void> {
  const code = await status;
  if (code !== 0) throw new ExitCode(code);
}

/** The client's "Failed to connect before the deadline" and the worker core's TransportError. */
export function isTemporalConnectFailure(err: unknown): boolean {
  return err instanceof Error && (err.message === 'Failed to connect before the deadline' || err.name === 'TransportError');
}

function causes(err: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e: unknown = err; e !== undefined && e !== null && chain.length < 10; e = (e as { cause?: unknown }).cause) chain.push(e);
  return chain;
}

const CRM_VARIABLES = {
  hubspot: { system: 'HubSpot', variables: 'HUBSPOT_ACCESS_TOKEN' },
  salesforce: { system: 'Salesforce', variables: 'SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET (or SALESFORCE_ACCESS_TOKEN)' },
} as const;

function crmRefusal(err: unknown): string | undefined {
  const failure = causes(err).find((e): e is ApplicationFailure => e instanceof ApplicationFailure && e.type === CRM_ERROR_TYPES.unauthorized);
  if (!failure) return undefined;
  const crm = failure.message.startsWith('salesforce.') ? CRM_VARIABLES.salesforce : CRM_VARIABLES.hubspot;
  return `${crm.system} refused the credentials in ${crm.variables} (${failure.message}): check them and try again`;
}

function configuredAddress(): string {
  try {
    return loadClientConfig().temporal.address;
  } catch {
    return process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
  }
}

interface SystemError extends Error {
  code: string;
  syscall?: string;
  path?: string;
  address?: string;
  port?: number;
}

function isSystemError(err: unknown): err is SystemError {
  const code: unknown = err instanceof Error ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code);
}

const FILE_PROBLEMS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
};

function systemProblem(err: SystemError): string | undefined {
  if (err.code === 'EADDRINUSE') {
    const where = err.port !== undefined ? `port ${err.port}${err.address ? ` on ${err.address}` : ''}` : 'the port';
    return `cannot listen: ${where} is already in use (stop what holds it, or choose another port)`;
  }
  const problem = FILE_PROBLEMS[err.code];
  if (problem && err.path) {
    const verb = err.syscall === 'open' || err.syscall === 'mkdir' || err.syscall === 'write' ? 'cannot write or open' : `cannot ${err.syscall ?? 'use'}`;
    return `${verb} ${err.path}: ${problem}`;
  }
  return undefined;
}

/** Messages that already say what is wrong and where; several problems become one line. */
const SELF_EXPLAINING = [ConfigError, ContractError, CodecKeyError, TemporalProvisioningError, SandboxSnapshotError, SearchAttributeConflictError, TemporalUnreachableError];

function oneLine(message: string): string {
  return message
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .join(' ')
    .replace(/: -/g, ':')
    .replace(/ - /g, '; ');
}

/** The one line printed for an error a command did not handle. */
export function describeError(err: unknown): string {
  const chain = causes(err);
  const unreachable = chain.find((e) => e instanceof TemporalUnreachableError);
  if (unreachable) return unreachable.message;
  if (chain.some(isTemporalConnectFailure)) return new TemporalUnreachableError(configuredAddress()).message;
  const refused = crmRefusal(err);
  if (refused) return refused;
  // The default converter meets an encrypted payload: this process has no CODEC_KEYS.
  if (chain.some((e) => e instanceof Error && e.message.includes(ENCRYPTED_ENCODING))) {
    return 'the payloads are encrypted and CODEC_KEYS is not set: set it to the keys the bridge encrypts with';
  }
  for (const e of chain) {
    if (SELF_EXPLAINING.some((type) => e instanceof type)) return oneLine((e as Error).message);
    if (isSystemError(e)) {
      const problem = systemProblem(e);
      if (problem) return problem;
    }
  }
  const first = chain[0];
  return `unexpected error: ${first instanceof Error ? `${first.name}: ${oneLine(first.message)}` : String(first)}`;
}
