/**
 * The server's configuration, derived from the module's own config/development-postgres12.yaml (4
 * history shards, PostgreSQL for persistence and for advanced visibility) with only what this machine
 * needs changed: every port a free loopback port, the database address, no pprof/metrics listeners or
 * archival, and a dynamic config file of our own.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { z } from 'zod';
import { PRIORITY_MATCHING_FLAGS } from '../priority-matching';
import { ClusterError } from './run-command';
import { serverModuleDir, type ClusterLayout } from './layout';

export const CLUSTER_PORTS = [
  'postgres',
  'frontend',
  'frontendHttp',
  'frontendMembership',
  'history',
  'historyMembership',
  'matching',
  'matchingMembership',
  'worker',
  'workerMembership',
] as const;
export type ClusterPorts = Record<(typeof CLUSTER_PORTS)[number], number>;

export const HISTORY_SHARDS = 4;

const record = z.record(z.string(), z.unknown());
/** Only the parts of the module's file this code changes; everything else is carried over as it is. */
const moduleConfig = z.looseObject({
  log: record,
  persistence: z.looseObject({ numHistoryShards: z.number(), datastores: z.record(z.string(), z.looseObject({ sql: record })) }),
  global: z.looseObject({ membership: record }),
  services: z.record(z.string(), z.looseObject({ rpc: record })),
  clusterMetadata: z.looseObject({ clusterInformation: z.record(z.string(), record) }),
  dynamicConfigClient: record,
});

function readYaml(file: string): unknown {
  try {
    return parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ClusterError(`cannot read ${file}: ${(err as Error).message}`);
  }
}

export function renderServerConfig(layout: ClusterLayout, ports: ClusterPorts): string {
  const file = join(serverModuleDir(layout), 'config', 'development-postgres12.yaml');
  const parsed = moduleConfig.safeParse(readYaml(file));
  if (!parsed.success) throw new ClusterError(`${file} does not have the expected shape: ${parsed.error.message}`);
  const config = parsed.data;
  config.log = { stdout: true, level: 'warn' };
  config.persistence.numHistoryShards = HISTORY_SHARDS;
  for (const store of Object.values(config.persistence.datastores)) store.sql.connectAddr = `127.0.0.1:${ports.postgres}`;
  config.global = { membership: { ...config.global.membership, broadcastAddress: '127.0.0.1' } };
  const rpc = (grpcPort: number, membershipPort: number) => ({ grpcPort, membershipPort, bindOnLocalHost: true });
  config.services = {
    frontend: { rpc: { ...rpc(ports.frontend, ports.frontendMembership), httpPort: ports.frontendHttp } },
    history: { rpc: rpc(ports.history, ports.historyMembership) },
    matching: { rpc: rpc(ports.matching, ports.matchingMembership) },
    worker: { rpc: rpc(ports.worker, ports.workerMembership) },
  };
  for (const cluster of Object.values(config.clusterMetadata.clusterInformation)) cluster.rpcAddress = `127.0.0.1:${ports.frontend}`;
  delete config.archival;
  delete config.namespaceDefaults;
  config.dynamicConfigClient = { filepath: layout.dynamicConfig, pollInterval: '10s' };
  return stringify(config);
}

/**
 * The module's development-sql dynamic config, plus: search attributes usable as soon as they are
 * created (a local cluster; `setup-temporal` runs right after start), Nexus callbacks on our HTTP port,
 * and the matcher that honours task priority and fairness (worker/priority-matching.ts).
 */
export function renderDynamicConfig(layout: ClusterLayout, ports: ClusterPorts): string {
  const file = join(serverModuleDir(layout), 'config', 'dynamicconfig', 'development-sql.yaml');
  const parsed = record.safeParse(readYaml(file) ?? {});
  if (!parsed.success) throw new ClusterError(`${file} is not a map of settings`);
  return stringify({
    ...parsed.data,
    'system.forceSearchAttributesCacheRefreshOnRead': [{ value: true }],
    ...Object.fromEntries(Object.entries(PRIORITY_MATCHING_FLAGS).map(([key, on]) => [key, [{ value: on }]])),
    'component.nexusoperations.callback.endpoint.template': [{ value: `http://127.0.0.1:${ports.frontendHttp}/namespaces/{{.NamespaceName}}/nexus/callback` }],
  });
}

export function writeServerConfig(layout: ClusterLayout, ports: ClusterPorts): void {
  writeFileSync(layout.dynamicConfig, renderDynamicConfig(layout, ports));
  writeFileSync(layout.serverConfig, renderServerConfig(layout, ports));
}
