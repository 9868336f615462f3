/**
 * Secrets the demo makes up when the environment gives none. The link-signing secret is new each run
 * (links die with the run anyway). The payload codec key is kept in the data directory, readable by
 * its owner only, so the Web UI can still decode the histories of earlier runs: payloads are
 * encrypted in the demo exactly as in production, and the UI decodes them through the bridge's
 * loopback-only codec endpoint (no token: only a browser on this machine is served).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const DEMO_CODEC_KEY_FILE = 'demo-codec-key';

export function generatedLinkSecret(): string {
  return randomBytes(48).toString('base64');
}

/** `CODEC_KEYS` syntax (`id:base64`) for the demo's own key, created on first use. */
export function demoCodecKeys(dataDir: string): string {
  const file = join(dataDir, DEMO_CODEC_KEY_FILE);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const keys = `demo:${randomBytes(32).toString('base64')}`;
  writeFileSync(file, `${keys}\n`, { mode: 0o600 });
  return keys;
}
