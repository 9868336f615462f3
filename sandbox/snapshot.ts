/**
 * The sandboxes' optional snapshot file, so the demo survives restarts: both stores' state as one
 * versioned JSON document, validated when read (a corrupt, foreign or newer file is refused with a
 * message naming it, never taken for an empty start) and written atomically (temp file + rename), so
 * a crash mid-save leaves the previous snapshot intact.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { HubSpotStore } from './hubspot/contact-store';
import type { SalesforceStore } from './salesforce/store';
import { SOBJECT_TYPES } from './salesforce/schema';

export const SNAPSHOT_FORMAT = 'handoff-bridge/sandbox-snapshot';
/** Bump when the stored shape changes; older builds then refuse the file instead of misreading it. */
export const SNAPSHOT_VERSION = 1;

export class SandboxSnapshotError extends Error {
  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(`sandbox snapshot ${path} ${problem}`);
  }
}

export interface SnapshotStores {
  hubspot: HubSpotStore;
  salesforce: SalesforceStore;
}

const numericId = z.string().regex(/^\d+$/);
const propertyVersionSchema = z.object({ value: z.string(), timestamp: z.iso.datetime(), sourceType: z.enum(['API', 'CRM_UI', 'INTEGRATION', 'IMPORT', 'SALESFORCE']) });

/** Ids handed out after a restore must not reuse saved ones, so each sequence must be past its ids. */
function sequenceIssue(ids: string[], next: number, idNumber: (id: string) => number, kind: string): string | undefined {
  return ids.every((id) => idNumber(id) < next) ? undefined : `must be above every saved ${kind} id, or new ${kind}s would reuse them`;
}

const hubspotStateSchema = z
  .object({
    contacts: z.array(
      z.object({
        id: numericId,
        createdAt: z.number().int(),
        updatedAt: z.number().int(),
        values: z.record(z.string(), z.string()),
        history: z.record(z.string(), z.array(propertyVersionSchema)),
      }),
    ),
    owners: z.array(z.object({ id: numericId, email: z.string(), firstName: z.string(), lastName: z.string(), userId: z.number().int(), createdAt: z.number().int(), updatedAt: z.number().int(), archived: z.boolean().optional() })),
    lists: z.array(z.object({ id: numericId, name: z.string(), members: z.array(z.string()) })),
    properties: z.array(z.object({ name: z.string(), type: z.enum(['string', 'number', 'datetime', 'enumeration']), options: z.array(z.string()).readonly().optional(), readOnly: z.boolean().optional() })),
    sequences: z.object({ contact: z.number().int(), owner: z.number().int(), list: z.number().int() }),
  })
  .superRefine((state, ctx) => {
    const checks = [
      ['contact', state.contacts.map((c) => c.id), state.sequences.contact],
      ['owner', state.owners.map((o) => o.id), state.sequences.owner],
      ['list', state.lists.map((l) => l.id), state.sequences.list],
    ] as const;
    for (const [kind, ids, next] of checks) {
      const message = sequenceIssue(ids, next, Number, kind);
      if (message) ctx.addIssue({ code: 'custom', path: ['sequences', kind], message });
    }
  });

/**
 * Sandbox ids are `<prefix>8d<10-digit sequence><case-safe suffix>` (see salesforce/ids.ts); records
 * seeded with an id a contract names (the built-in contract's reps) are any 18-character id, outside
 * the sequence and so unable to collide with it.
 */
const SALESFORCE_ID = /^[0-9A-Za-z]{15}[A-Z0-5]{3}$/;
const SEQUENCED_ID = /^[0-9A-Za-z]{3}8d\d{10}[A-Z0-5]{3}$/;
const salesforceSequenceOf = (id: string): number => (SEQUENCED_ID.test(id) ? Number(id.slice(5, 15)) : -1);

const salesforceStateSchema = z
  .object({
    records: z.array(
      z.object({
        type: z.enum(SOBJECT_TYPES),
        id: z.string().regex(SALESFORCE_ID),
        fields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
        fieldModifiedAt: z.record(z.string(), z.number()),
      }),
    ),
    sequence: z.number().int(),
  })
  .superRefine((state, ctx) => {
    const message = sequenceIssue(state.records.map((r) => r.id), state.sequence, salesforceSequenceOf, 'record');
    if (message) ctx.addIssue({ code: 'custom', path: ['sequence'], message });
  });

/** Read first on its own, so a foreign or newer file gets that message rather than a list of field errors. */
const headerSchema = z.object({ format: z.literal(SNAPSHOT_FORMAT), version: z.number().int().positive() });

const snapshotSchema = z.object({
  format: z.literal(SNAPSHOT_FORMAT),
  version: z.literal(SNAPSHOT_VERSION),
  savedAt: z.iso.datetime(),
  hubspot: hubspotStateSchema,
  salesforce: salesforceStateSchema,
});

export type SandboxSnapshot = z.infer<typeof snapshotSchema>;

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Validates a snapshot file's text; `path` only names the file in errors. */
export function parseSnapshot(path: string, text: string): SandboxSnapshot {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new SandboxSnapshotError(path, `is not valid JSON (${messageOf(err)})`);
  }
  const header = headerSchema.safeParse(json);
  if (!header.success) throw new SandboxSnapshotError(path, `is not a handoff-bridge sandbox snapshot (expected "format": "${SNAPSHOT_FORMAT}" and a "version")`);
  if (header.data.version > SNAPSHOT_VERSION) {
    throw new SandboxSnapshotError(path, `has format version ${header.data.version}, newer than this build reads (${SNAPSHOT_VERSION}); upgrade handoff-bridge or use another file`);
  }
  const parsed = snapshotSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new SandboxSnapshotError(path, `is not a valid snapshot: ${problems.join('; ')}`);
  }
  return parsed.data;
}

/** The snapshot at `path`, or undefined when there is no file (a first start). */
export async function readSnapshot(path: string): Promise<SandboxSnapshot | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (err instanceof Error && 'code' in err && err.code === 'ENOENT') return undefined;
    throw new SandboxSnapshotError(path, `cannot be read (${messageOf(err)})`);
  }
  return parseSnapshot(path, text);
}

/** Loads the file into both stores when it exists; true when something was restored. */
export async function restoreSnapshot(path: string, stores: SnapshotStores): Promise<boolean> {
  const snapshot = await readSnapshot(path);
  if (!snapshot) return false;
  try {
    stores.hubspot.importState(snapshot.hubspot);
    stores.salesforce.importState(snapshot.salesforce);
  } catch (err) {
    throw new SandboxSnapshotError(path, `cannot be restored: ${messageOf(err)}`);
  }
  return true;
}

export function captureSnapshot(stores: SnapshotStores): SandboxSnapshot {
  return {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    savedAt: new Date().toISOString(),
    hubspot: stores.hubspot.exportState(),
    salesforce: stores.salesforce.exportState(),
  };
}

/** Temp file in the same directory (rename is atomic only within one file system), synced, then renamed over. */
async function writeAtomically(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`;
  try {
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw new SandboxSnapshotError(path, `could not be written (${messageOf(err)})`);
  }
}

export interface SnapshotKeeper {
  /** Captures both stores now and writes them; resolves once this capture is on disk. */
  save: () => Promise<void>;
  /** Stops periodic saves and writes a final snapshot. */
  close(): Promise<void>;
}

export interface SnapshotKeeperOptions {
  path: string;
  stores: SnapshotStores;
  /** 0 turns periodic saves off (only close() and save() write). */
  intervalMs: number;
  /** A failed periodic save must not crash the process, but must not go unnoticed either. */
  onError: (error: Error) => void;
}

export function keepSnapshot(options: SnapshotKeeperOptions): SnapshotKeeper {
  // Saves run one after another: a slow earlier write must never land after, and overwrite, a newer one.
  let writes: Promise<void> = Promise.resolve();
  const save = (): Promise<void> => {
    const text = JSON.stringify(captureSnapshot(options.stores));
    const write = writes.catch(() => undefined).then(() => writeAtomically(options.path, text));
    writes = write;
    return write;
  };
  const timer =
    options.intervalMs > 0
      ? setInterval(() => {
          save().catch((err: unknown) => options.onError(err instanceof Error ? err : new Error(String(err))));
        }, options.intervalMs)
      : undefined;
  // The periodic save alone must not keep a process alive that has nothing else to do.
  timer?.unref();
  return {
    save,
    async close() {
      clearInterval(timer);
      await save();
    },
  };
}
