/**
 * docker-compose.yml, checked statically: no Docker engine runs on the machines this is built on.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { POSTGRES_MAJOR, TEMPORAL_SERVER_VERSION } from '../worker/cluster/layout';
import { DEFAULT_UI_ORIGINS } from '../worker/codec-server';
import { CONFIG_VARIABLES } from '../worker/config';
import { PRIORITY_MATCHING_FLAGS } from '../worker/priority-matching';
import { searchAttributeCliPairs } from '../api/search-attributes';

const service = z.object({
  image: z.string().optional(),
  build: z.union([z.string(), z.object({ context: z.string() })]).optional(),
  command: z.union([z.string(), z.array(z.string())]).optional(),
  restart: z.string().optional(),
  environment: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  ports: z.array(z.string()).optional(),
  depends_on: z.record(z.string(), z.object({ condition: z.string() })).optional(),
  healthcheck: z.object({ test: z.array(z.string()) }).optional(),
});
const composeFile = z.object({ services: z.record(z.string(), service) });

// Compose merges YAML 1.1 `<<` keys; parse the same way.
const compose = composeFile.parse(parse(readFileSync(new URL('../docker-compose.yml', import.meta.url), 'utf8'), { merge: true }));
const services = compose.services;
const bridgeServices = ['worker', 'ingress'] as const;

describe('docker-compose.yml', () => {
  it('has PostgreSQL, the schema job, Temporal, the search-attribute job, the UI, the worker and the ingress', () => {
    expect(Object.keys(services).sort()).toEqual(['ingress', 'postgresql', 'temporal', 'temporal-schema', 'temporal-search-attributes', 'temporal-ui', 'worker']);
  });

  it('gives every service an image or a build', () => {
    for (const [name, s] of Object.entries(services)) expect(s.image ?? s.build, name).toBeTruthy();
  });

  it('gives every long-running service a healthcheck', () => {
    for (const [name, s] of Object.entries(services)) {
      if (s.restart === 'no') continue;
      expect(s.healthcheck?.test.length, name).toBeGreaterThan(0);
    }
  });

  it('waits only on services that exist', () => {
    for (const s of Object.values(services)) {
      for (const dependency of Object.keys(s.depends_on ?? {})) expect(Object.keys(services)).toContain(dependency);
    }
  });

  it('builds the worker and the ingress from the Dockerfile with their commands', () => {
    for (const name of bridgeServices) {
      expect(services[name]?.build).toBe('.');
      expect(services[name]?.command).toEqual(['npx', 'handoff-bridge', name]);
      expect(services[name]?.environment?.HANDOFF_MODE).toBe(name);
    }
  });

  it('passes the bridge only variables its config schema knows, each from the same-named variable', () => {
    for (const name of bridgeServices) {
      const env = services[name]?.environment ?? {};
      for (const [key, value] of Object.entries(env)) {
        expect(CONFIG_VARIABLES as readonly string[], `${name}: ${key}`).toContain(key);
        const interpolated = /^\$\{(\w+)/.exec(String(value));
        if (interpolated) expect(interpolated[1], `${name}: ${key}`).toBe(key);
      }
      expect(String(env.LINK_SIGNING_SECRET)).toMatch(/^\$\{LINK_SIGNING_SECRET:\?/);
    }
  });

  it('registers exactly the search attributes the workflows use, idempotently', () => {
    const job = services['temporal-search-attributes'];
    expect(String(job?.environment?.SEARCH_ATTRIBUTES).split(/\s+/)).toEqual(searchAttributeCliPairs());
    const script = Array.isArray(job?.command) ? job.command.join('\n') : String(job?.command);
    expect(script).toContain('temporal operator search-attribute create');
    expect(script).toContain('temporal operator search-attribute list');
    expect(script).toContain('already registered');
    expect(services.worker?.depends_on?.['temporal-search-attributes']?.condition).toBe('service_completed_successfully');
  });

  it('points the Temporal UI at the codec endpoint from an origin the codec allows', () => {
    const ui = services['temporal-ui'];
    expect(String(ui?.environment?.TEMPORAL_CODEC_ENDPOINT)).toMatch(/:8787\/codec\}?$/);
    const published = ui?.ports?.[0]?.split(':').slice(-2, -1)[0];
    expect(DEFAULT_UI_ORIGINS).toContain(`http://localhost:${published}`);
  });

  it('runs Temporal on PostgreSQL, after a job applied the schemas', () => {
    expect(services.temporal?.environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgresql', NUM_HISTORY_SHARDS: 4 });
    expect(services.temporal?.depends_on?.['temporal-schema']?.condition).toBe('service_completed_successfully');
    const job = services['temporal-schema'];
    expect(job?.depends_on?.postgresql?.condition).toBe('service_healthy');
    const script = Array.isArray(job?.command) ? job.command.join('\n') : String(job?.command);
    for (const step of ['temporal-sql-tool --plugin postgres12', 'setup-schema -v 0.0', 'update-schema -d', 'postgresql/v12/$$dir/versioned']) expect(script).toContain(step);
    expect(script).toMatch(/for db in temporal temporal_visibility/);
  });

  it('runs the versions `npm run cluster` runs, without the deprecated auto-setup image', () => {
    const tag = (name: string) => /^(.+):\$\{TEMPORAL_VERSION:-(.+)\}$/.exec(services[name]?.image ?? '')?.slice(1);
    expect(tag('temporal')).toEqual(['temporalio/server', TEMPORAL_SERVER_VERSION]);
    expect(tag('temporal-schema')).toEqual(['temporalio/admin-tools', TEMPORAL_SERVER_VERSION]);
    expect(tag('temporal-search-attributes')).toEqual(['temporalio/admin-tools', TEMPORAL_SERVER_VERSION]);
    expect(services.postgresql?.image).toBe(`postgres:${POSTGRES_MAJOR}-bookworm`);
    for (const [name, s] of Object.entries(services)) expect(s.image ?? '', name).not.toContain('auto-setup');
  });

  it('turns on the matcher that honours task priority and fairness, as the dev server and `npm run cluster` do', () => {
    const mounted = (services.temporal?.environment?.DYNAMIC_CONFIG_FILE_PATH ?? '') as string;
    expect(mounted).toMatch(/handoff-bridge\.yaml$/);
    const file = z.record(z.string(), z.array(z.object({ value: z.unknown() }))).parse(parse(readFileSync(new URL('../deploy/temporal/dynamicconfig.yaml', import.meta.url), 'utf8')));
    expect(Object.keys(PRIORITY_MATCHING_FLAGS).length).toBeGreaterThan(0);
    for (const [key, on] of Object.entries(PRIORITY_MATCHING_FLAGS)) expect(file[key]?.[0]?.value, key).toBe(on);
  });
});
