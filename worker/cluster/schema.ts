/**
 * The Temporal schemas, applied with the server's own SQL tool from the server module's
 * schema/postgresql/v12 (in the Go module cache after the build; never copied into this repository).
 * Idempotent: a database that exists is only brought up to the newest schema version.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DB_USER } from './postgres';
import { ClusterError, runCommand, tryCommand } from './run-command';
import { serverModuleDir, type ClusterLayout } from './layout';

export const DATABASES = [
  { name: 'temporal', schemaDir: 'temporal' },
  { name: 'temporal_visibility', schemaDir: 'visibility' },
] as const;

export async function applySchemas(layout: ClusterLayout, port: number): Promise<void> {
  const schemaRoot = join(serverModuleDir(layout), 'schema', 'postgresql', 'v12');
  if (!existsSync(schemaRoot)) throw new ClusterError(`the server module's schemas are missing at ${schemaRoot}: rebuild with \`handoff-bridge cluster\` after removing ${layout.binariesStamp}`);
  for (const db of DATABASES) {
    const base = ['--plugin', 'postgres12', '--ep', '127.0.0.1', '-p', String(port), '-u', DB_USER, '--db', db.name];
    const created = await tryCommand(layout.sqlToolBin, [...base, 'create']);
    const fresh = created.code === 0;
    if (!fresh && !/already exists/.test(created.output)) {
      throw new ClusterError(`creating database ${db.name} failed:\n${created.output.slice(-2_000)}`);
    }
    if (fresh) await runCommand(`setting up the ${db.name} schema`, layout.sqlToolBin, [...base, 'setup-schema', '-v', '0.0']);
    await runCommand(`updating the ${db.name} schema`, layout.sqlToolBin, [...base, 'update-schema', '-d', join(schemaRoot, db.schemaDir, 'versioned')]);
  }
}
