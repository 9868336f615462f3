/**
 * The embedded Temporal dev server `npm start` runs: the pinned binary (provisioned as `npm install`
 * does), SQLite persistence in the data directory so history survives restarts, the Web UI, and the
 * UI's payload decoding pointed at the bridge's codec endpoint when payloads are encrypted.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { quietPort, startDevServer, type DevServer } from '../dev-server';
import { defaultToolsDir, provisionTemporal } from '../temporal-binaries';

export interface LocalTemporalOptions {
  dataDir: string;
  /** 0 picks a free port. */
  port: number;
  uiPort: number;
  uiCodecEndpoint?: string;
  onProgress?: (line: string) => void;
}

export const TEMPORAL_DB_FILE = 'temporal.db';

export async function startLocalTemporal(options: LocalTemporalOptions): Promise<DevServer & { uiUrl: string }> {
  const binaries = await provisionTemporal({ toolsDir: defaultToolsDir(), onProgress: options.onProgress });
  mkdirSync(options.dataDir, { recursive: true });
  const server = await startDevServer({
    cliPath: binaries.cli,
    ...(options.port ? { port: options.port } : {}),
    uiPort: options.uiPort || (await quietPort()),
    dbFile: join(options.dataDir, TEMPORAL_DB_FILE),
    ...(options.uiCodecEndpoint ? { uiCodecEndpoint: options.uiCodecEndpoint } : {}),
  });
  if (!server.uiUrl) throw new Error('the Temporal dev server started without its Web UI');
  return { ...server, uiUrl: server.uiUrl };
}
