/**
 * A Temporal client for operators' commands: the address, namespace and payload codec from the same
 * variables the worker reads, without requiring the worker's secrets.
 */
import { connect as tcpConnect } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { dataConverterFor } from './codec';
import { loadClientConfig } from './config';

/** Temporal could not be reached at the configured address: said so, with what to do. */
export class TemporalUnreachableError extends Error {
  constructor(readonly address: string) {
    super(`cannot reach Temporal at ${address} (is \`npm start\` or the cluster running?)`);
    this.name = 'TemporalUnreachableError';
  }
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * Fails at once when nothing listens at the address (or the host does not resolve), instead of the
 * gRPC client's retrying until its deadline and then saying "Failed to connect before the deadline"
 * without the address. Anything else (a slow network) is left to the client's own deadline.
 */
export function probeTemporal(address: string, timeoutMs = 2_000): Promise<void> {
  const colon = address.lastIndexOf(':');
  const host = address.slice(0, colon);
  const port = Number(address.slice(colon + 1));
  return new Promise((resolve, reject) => {
    const socket = tcpConnect({ host, port, timeout: timeoutMs });
    const done = (err?: Error) => {
      socket.destroy();
      if (err) reject(err);
      else resolve();
    };
    socket.once('connect', () => done());
    socket.once('timeout', () => done());
    socket.once('error', (err: NodeJS.ErrnoException) => done(err.code && UNREACHABLE.has(err.code) ? new TemporalUnreachableError(address) : undefined));
  });
}

/** A gRPC connection to Temporal, refused in one clear line when the server is not there. */
export async function connectTemporal(address: string): Promise<Connection> {
  await probeTemporal(address);
  try {
    return await Connection.connect({ address });
  } catch (err) {
    if (err instanceof Error && err.message === 'Failed to connect before the deadline') throw new TemporalUnreachableError(address);
    throw err;
  }
}

export async function connectClientFromEnv(env: Record<string, string | undefined> = process.env): Promise<Client> {
  const config = loadClientConfig(env);
  const connection = await connectTemporal(config.temporal.address);
  return new Client({
    connection,
    namespace: config.temporal.namespace,
    dataConverter: config.codec.keys.length ? dataConverterFor(config.codec.keys) : undefined,
  });
}
