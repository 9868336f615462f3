/**
 * A Temporal client for operators' commands: the address, namespace and payload codec from the same
 * variables the worker reads, without requiring the worker's secrets.
 */
import { Client, Connection } from '@temporalio/client';
import { dataConverterFor } from './codec';
import { loadClientConfig } from './config';

export async function connectClientFromEnv(env: Record<string, string | undefined> = process.env): Promise<Client> {
  const config = loadClientConfig(env);
  const connection = await Connection.connect({ address: config.temporal.address });
  return new Client({
    connection,
    namespace: config.temporal.namespace,
    dataConverter: config.codec.keys.length ? dataConverterFor(config.codec.keys) : undefined,
  });
}
