/**
 * ReportStore on the local disk: `<root>/<runId>/<name>`, each file written to a temporary name and
 * renamed, so a reader (the dashboard, the next run) never sees half a report.
 */
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReportStore } from './reconcile-ports';

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function checked(kind: string, value: string): string {
  if (!SAFE_NAME.test(value)) throw new RangeError(`report store: ${kind} must be letters, digits, '.', '_' or '-'`);
  return value;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

export function createDirectoryReportStore(root: string): ReportStore {
  return {
    root,
    async write({ runId, name, content }) {
      const dir = join(root, checked('run id', runId));
      await mkdir(dir, { recursive: true });
      const path = join(dir, checked('file name', name));
      const temporary = `${path}.${process.pid}.tmp`;
      await writeFile(temporary, content);
      await rename(temporary, path);
      return path;
    },
    async read({ runId, name }) {
      try {
        return await readFile(join(root, checked('run id', runId), checked('file name', name)), 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
    },
    async runsWith(name) {
      let entries: string[];
      try {
        entries = await readdir(root);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw err;
      }
      const runs = entries.filter((e) => SAFE_NAME.test(e)).sort();
      const present = await Promise.all(runs.map((run) => exists(join(root, run, checked('file name', name)))));
      return runs.filter((_, i) => present[i]);
    },
  };
}
