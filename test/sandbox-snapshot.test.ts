import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@hubspot/api-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHubSpotAdapter, createSalesforceAdapter } from '../activities/crm';
import type { HubSpotPort, SalesforcePort } from '../activities/ports';
import { SandboxSnapshotError, startSandboxes, type Sandboxes } from '../sandbox';
import { generateDataset, seedSandboxes } from '../sandbox/generator';
import { SOBJECT_TYPES } from '../sandbox/salesforce/schema';
import { captureSnapshot, readSnapshot, SNAPSHOT_FORMAT } from '../sandbox/snapshot';

interface Clients {
  hubspot: HubSpotPort;
  /** The raw SDK, for what the port does not expose (a backwards PATCH, property history). */
  hubspotSdk: Client;
  salesforce: SalesforcePort;
}

function clientsFor(sandboxes: Sandboxes): Clients {
  const { hubspot, salesforce } = sandboxes;
  return {
    hubspot: createHubSpotAdapter({ accessToken: hubspot.accessToken, basePath: hubspot.baseUrl }),
    hubspotSdk: new Client({ accessToken: hubspot.accessToken, basePath: hubspot.baseUrl, numberOfApiCallRetries: 0 }),
    salesforce: createSalesforceAdapter({ instanceUrl: salesforce.instanceUrl, loginUrl: salesforce.loginUrl, clientId: salesforce.clientId, clientSecret: salesforce.clientSecret, apiVersion: '62.0' }),
  };
}

async function lifecycleHistory(sdk: Client, contactId: string): Promise<string[]> {
  const contact = await sdk.crm.contacts.basicApi.getById(contactId, ['lifecyclestage'], ['lifecyclestage']);
  return (contact.propertiesWithHistory?.lifecyclestage ?? []).map((version) => version.value);
}

function recordIdsByType(sandboxes: Sandboxes): Record<string, string[]> {
  return Object.fromEntries(SOBJECT_TYPES.map((type) => [type, sandboxes.salesforce.store.list(type).map((r) => r.id)]));
}

/** Runs `handoff-bridge sandbox` until it has printed its env, then stops it with Ctrl-C; returns its output. */
async function runSandboxCommand(args: string[]): Promise<{ output: string; code: number | null }> {
  // The real command (bin/handoff-bridge.mjs), in one process: under tsx's own CLI a parent process
  // relays Ctrl-C to a child, and under load that child was seen to exit 130 instead of stopping cleanly.
  const child = spawn(process.execPath, [join('bin', 'handoff-bridge.mjs'), 'sandbox', '--hubspot-port', '0', '--salesforce-port', '0', '--no-connector', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const deadline = Date.now() + 60_000;
  while (!output.includes('Ctrl-C stops') && child.exitCode === null && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  child.kill('SIGINT');
  return { output, code: await exited };
}

describe('the sandboxes with a snapshot file', () => {
  let dir: string;
  let path: string;
  const running: Sandboxes[] = [];
  const start = async (options: { intervalMs?: number } = {}): Promise<Sandboxes> => {
    const sandboxes = await startSandboxes({ snapshotPath: path, snapshotIntervalMs: options.intervalMs ?? 0 });
    running.push(sandboxes);
    return sandboxes;
  };
  const stop = async (sandboxes: Sandboxes): Promise<void> => {
    running.splice(running.indexOf(sandboxes), 1);
    await sandboxes.stop();
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sandbox-snapshot-'));
    path = join(dir, 'state', 'sandboxes.json');
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.stop()));
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps what the real clients wrote across a stop and start: same ids, lifecycle history, and ids that continue without collisions', async () => {
    const first = await start();
    expect(first.snapshot?.restored).toBe(false);
    const seeded = seedSandboxes(generateDataset({ seed: 3, reps: 2, contacts: 4 }), { hubspot: first.hubspot.store, salesforce: first.salesforce.store });
    const [contactId = '', otherContactId = ''] = seeded.contactIds;
    const listId = first.hubspot.store.createList('Nurture');
    const before = clientsFor(first);
    await before.hubspot.setLifecycleStage({ contactId, stage: 'marketingqualifiedlead' });
    await before.hubspot.setLifecycleStage({ contactId, stage: 'salesqualifiedlead' });
    await before.hubspot.updateContact({ contactId, properties: { jobtitle: 'VP Data' } });
    await before.hubspot.addToList({ listId, contactIds: [contactId, otherContactId] });
    const lead = await before.salesforce.upsertLead({ hubspotContactId: contactId, fields: { LastName: 'Doe', Company: 'Acme', Email: 'doe@acme.example' } });
    await before.salesforce.updateLead({ leadId: lead.id, fields: { OwnerId: seeded.userIds[0] ?? '', Status: 'Working - Contacted' } });
    const converted = await before.salesforce.upsertLead({ hubspotContactId: otherContactId, fields: { LastName: 'Roe', Company: 'Beta' } });
    first.salesforce.store.create('Task', { WhoId: lead.id, Subject: 'Intro call', Type: 'Call' });
    first.salesforce.store.convertLead({ leadId: converted.id, convertedStatus: 'Closed - Converted' });
    const contactBefore = await before.hubspot.getContact({ contactId, properties: ['jobtitle', 'lifecyclestage', 'hs_lifecyclestage_marketingqualifiedlead_date'] });
    const historyBefore = await lifecycleHistory(before.hubspotSdk, contactId);
    const idsBefore = recordIdsByType(first);
    const ownersBefore = await before.hubspot.listOwners();
    const usersBefore = await before.salesforce.listUsers();
    await stop(first);

    const second = await start();
    expect(second.snapshot?.restored).toBe(true);
    const after = clientsFor(second);
    expect(await after.hubspot.getContact({ contactId, properties: ['jobtitle', 'lifecyclestage', 'hs_lifecyclestage_marketingqualifiedlead_date'] })).toEqual(contactBefore);
    expect(await lifecycleHistory(after.hubspotSdk, contactId)).toEqual(historyBefore);
    expect(await after.hubspot.listOwners()).toEqual(ownersBefore);
    expect(await after.salesforce.listUsers()).toEqual(usersBefore);
    expect([...(second.hubspot.store.lists.get(listId)?.members ?? [])]).toEqual([contactId, otherContactId]);
    expect(recordIdsByType(second)).toEqual(idsBefore);
    expect(await after.salesforce.getLead({ leadId: lead.id, fields: ['OwnerId', 'Status'] })).toEqual({ id: lead.id, fields: { OwnerId: seeded.userIds[0], Status: 'Working - Contacted' } });
    expect((await after.salesforce.tasksForLead({ leadId: lead.id, since: '2000-01-01T00:00:00.000Z', fields: ['Subject'] })).map((t) => t.fields.Subject)).toEqual(['Intro call']);

    // Forward-only still holds: an earlier stage is ignored, and only clear-then-set moves it back.
    await after.hubspotSdk.crm.contacts.basicApi.update(contactId, { properties: { lifecyclestage: 'lead' } });
    expect(second.hubspot.store.value(contactId, 'lifecyclestage')).toBe('salesqualifiedlead');
    expect(await after.hubspot.setLifecycleStage({ contactId, stage: 'lead' })).toEqual({ previous: 'salesqualifiedlead', current: 'lead' });
    expect((await lifecycleHistory(after.hubspotSdk, contactId)).slice(2)).toEqual(historyBefore);

    // Sequences continue: new ids are new, and the external id still finds the saved lead.
    const newContact = second.hubspot.store.createContact({ email: 'new@acme.example' });
    expect(Number(newContact.id)).toBeGreaterThan(Math.max(...seeded.contactIds.map(Number)));
    const newLead = await after.salesforce.upsertLead({ hubspotContactId: newContact.id, fields: { LastName: 'New', Company: 'Acme' } });
    expect(newLead.created).toBe(true);
    expect(Object.values(idsBefore).flat()).not.toContain(newLead.id);
    expect(await after.salesforce.upsertLead({ hubspotContactId: contactId, fields: { Company: 'Acme Corp' } })).toEqual({ id: lead.id, created: false });
    expect(ownersBefore.map((o) => o.id)).not.toContain(second.hubspot.store.addOwner({ email: 'third@corp.example', firstName: 'Third', lastName: 'Rep' }).id);
    expect(second.hubspot.store.createList('Another')).not.toBe(listId);
  });

  it('starts empty and writes a snapshot on stop when there is no file yet', async () => {
    const sandboxes = await start();
    expect(sandboxes.snapshot).toMatchObject({ path, restored: false });
    expect(sandboxes.hubspot.store.contacts.size).toBe(0);
    expect(sandboxes.salesforce.store.records.size).toBe(1); // the integration user every org has
    await stop(sandboxes);
    expect((await readSnapshot(path))?.hubspot.contacts).toEqual([]);
  });

  it('saves periodically while running, atomically, leaving no temp files behind', async () => {
    const sandboxes = await start({ intervalMs: 20 });
    const { id } = sandboxes.hubspot.store.createContact({ email: 'periodic@acme.example' });
    const deadline = Date.now() + 10_000;
    while (!(await readSnapshot(path).catch(() => undefined))?.hubspot.contacts.some((c) => c.id === id)) {
      if (Date.now() > deadline) throw new Error('no periodic snapshot with the new contact was written');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await stop(sandboxes);
    expect(await readdir(join(dir, 'state'))).toEqual(['sandboxes.json']);
  });

  it('refuses a corrupt file with an error naming the file and the problem, and leaves the file alone', async () => {
    await start().then(stop);
    const valid = await readFile(path, 'utf8');
    const truncated = valid.slice(0, valid.length / 2);
    await writeFile(path, truncated);
    const failure = startSandboxes({ snapshotPath: path });
    await expect(failure).rejects.toThrow(SandboxSnapshotError);
    await expect(failure).rejects.toThrow(`sandbox snapshot ${path} is not valid JSON`);
    expect(await readFile(path, 'utf8')).toBe(truncated);
  });

  it('refuses a foreign JSON file and a snapshot whose content is invalid, saying what is wrong', async () => {
    await writeFile(path.replace('state/', ''), JSON.stringify({ contacts: [] }));
    await expect(startSandboxes({ snapshotPath: path.replace('state/', '') })).rejects.toThrow(/is not a handoff-bridge sandbox snapshot/);
    const sandboxes = await start();
    sandboxes.hubspot.store.createContact({ email: 'a@acme.example' });
    const snapshot = captureSnapshot({ hubspot: sandboxes.hubspot.store, salesforce: sandboxes.salesforce.store });
    await stop(sandboxes);
    await writeFile(path, JSON.stringify({ ...snapshot, hubspot: { ...snapshot.hubspot, sequences: { ...snapshot.hubspot.sequences, contact: 1 } } }));
    await expect(startSandboxes({ snapshotPath: path })).rejects.toThrow(/is not a valid snapshot: hubspot\.sequences\.contact: must be above every saved contact id/);
  });

  it('refuses a snapshot from a newer format version', async () => {
    await start().then(stop);
    const snapshot: unknown = JSON.parse(await readFile(path, 'utf8'));
    await writeFile(path, JSON.stringify({ ...(snapshot as object), format: SNAPSHOT_FORMAT, version: 2 }));
    await expect(startSandboxes({ snapshotPath: path })).rejects.toThrow(`sandbox snapshot ${path} has format version 2, newer than this build reads (1)`);
  });

  it('npx handoff-bridge sandbox --snapshot FILE seeds once, restores on the next start, and refuses a corrupt file', async () => {
    const first = await runSandboxCommand(['--contacts', '3', '--reps', '2', '--snapshot', path]);
    expect(first.output).toContain(`Snapshot:           ${path} (new;`);
    expect(first.code).toBe(0);
    const second = await runSandboxCommand(['--contacts', '50', '--reps', '9', '--snapshot', path]);
    // 3 generated contacts and the one ready to qualify; the contract's 3 reps and 2 generated owners.
    expect(second.output).toMatch(/\(4 contacts, 5 owners;/);
    expect(second.output).toContain(`${path} (restored;`);
    await writeFile(path, '{"format":');
    const corrupt = await runSandboxCommand(['--snapshot', path]);
    expect(corrupt.code).toBe(1);
    expect(corrupt.output).toContain(`sandbox snapshot ${path} is not valid JSON`);
  });
});
