/**
 * `handoff-bridge setup-temporal` against the real dev server, on namespaces registered for the test
 * (the run's default namespace already has the attributes: the dev server registers them by flag).
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { cli } from './helpers/cli';
import { SEARCH_ATTRIBUTES } from '../api/search-attributes';

let connection: Connection;

/** A namespace of its own, with no custom search attributes yet. */
async function freshNamespace(): Promise<string> {
  const namespace = `setup-${randomUUID().slice(0, 8)}`;
  await promisify(execFile)(inject('temporalCliPath'), ['operator', 'namespace', 'create', '--address', inject('temporalAddress'), '--namespace', namespace, '--retention', '24h']);
  // The frontend learns of a new namespace on its next registry refresh.
  await vi.waitFor(() => connection.operatorService.listSearchAttributes({ namespace }), { timeout: 30_000, interval: 250 });
  return namespace;
}

async function customAttributes(namespace: string): Promise<Record<string, number>> {
  return (await connection.operatorService.listSearchAttributes({ namespace })).customAttributes;
}

async function setup(namespace: string): Promise<{ code: number; out: string }> {
  vi.stubEnv('TEMPORAL_ADDRESS', inject('temporalAddress'));
  vi.stubEnv('TEMPORAL_NAMESPACE', namespace);
  try {
    const { code, out } = await cli('setup-temporal');
    return { code, out };
  } finally {
    vi.unstubAllEnvs();
  }
}

beforeAll(async () => {
  connection = await Connection.connect({ address: inject('temporalAddress') });
});

afterAll(async () => {
  await connection.close();
});

describe('handoff-bridge setup-temporal', () => {
  it('creates every missing search attribute, and a second run is a no-op', async () => {
    const namespace = await freshNamespace();
    expect(Object.keys(await customAttributes(namespace))).not.toContain('LeadStage');

    const first = await setup(namespace);
    expect(first.code).toBe(0);
    expect(first.out).toContain(`Created ${SEARCH_ATTRIBUTES.length}, 0 already present.`);
    const created = await customAttributes(namespace);
    for (const key of SEARCH_ATTRIBUTES) expect(Object.keys(created), key.name).toContain(key.name);

    const second = await setup(namespace);
    expect(second.code).toBe(0);
    expect(second.out).toContain('Nothing to do: every search attribute is present.');
    expect(second.out).not.toMatch(/\bcreated\b/);
    expect(await customAttributes(namespace)).toEqual(created);
  });

  it('makes the stuck-lead attributes usable in that namespace\'s visibility queries', async () => {
    const namespace = await freshNamespace();
    expect((await setup(namespace)).code).toBe(0);
    const client = new Client({ connection, namespace });
    await expect(client.workflow.count('LeadStage = "AwaitingAcceptance" AND SlaDeadline < "2030-01-01T00:00:00Z" AND Breached = true')).resolves.toMatchObject({ count: 0 });
  });

  it('refuses, naming both types and changing nothing, when an attribute exists with another type', async () => {
    const namespace = await freshNamespace();
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: { SlaDeadline: proto.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD } });
    const before = await customAttributes(namespace);

    const { code, out } = await setup(namespace);
    expect(code).toBe(1);
    expect(out).toContain('SlaDeadline: exists as KEYWORD, the bridge needs DATETIME');
    expect(out).toContain('nothing was changed');
    expect(await customAttributes(namespace)).toEqual(before);
  });

  it('finds nothing to do on the dev server the tests run against, which registers them by flag', async () => {
    const { code, out } = await setup('default');
    expect(code).toBe(0);
    expect(out).toContain('Nothing to do');
  });
});
