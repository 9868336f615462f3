/**
 * The Dockerfile, checked statically (no Docker engine here): supported Node, production install,
 * non-root user, healthcheck, and every source folder the runtime imports copied in.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WORKER_PROCESS_ENV } from '../worker/heap-tuning';

const dockerfile = readFileSync(new URL('../Dockerfile', import.meta.url), 'utf8');
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith('#'));
const dockerignore = readFileSync(new URL('../.dockerignore', import.meta.url), 'utf8').split('\n').map((l) => l.trim());
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  dependencies: Record<string, string>;
  engines: { node: string };
};

describe('Dockerfile', () => {
  it('builds on Node 24, the LTS line engines requires', () => {
    const from = instructions.filter((line) => line.startsWith('FROM '));
    expect(from).toHaveLength(1);
    expect(from[0]).toMatch(/^FROM node:24[-.\w]*$/);
    expect(pkg.engines.node).toContain('>=24');
  });

  it('installs production dependencies from the lockfile, with tsx among them', () => {
    expect(instructions.some((line) => /^RUN npm ci --omit=dev\b/.test(line))).toBe(true);
    expect(pkg.dependencies.tsx).toBeDefined();
  });

  it('runs as a non-root user', () => {
    const users = instructions.filter((line) => line.startsWith('USER '));
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^USER (root|0)(:|$)/);
    const lastUser = instructions.lastIndexOf(users.at(-1) ?? '');
    const cmd = instructions.findIndex((line) => line.startsWith('CMD '));
    expect(lastUser).toBeLessThan(cmd);
  });

  it('copies every source folder the runtime imports', () => {
    for (const dir of ['bin', 'worker', 'workflows', 'api', 'activities', 'mappings', 'sandbox']) {
      expect(instructions, dir).toContain(`COPY ${dir} ./${dir}`);
    }
  });

  it('has a healthcheck and starts the worker through the CLI', () => {
    expect(instructions.some((line) => line.startsWith('HEALTHCHECK ') && line.includes('/healthz'))).toBe(true);
    expect(instructions.at(-1)).toBe('CMD ["npx", "handoff-bridge", "worker"]');
  });

  it('starts the worker with the memory settings the benchmarks measured (WORKER_PROCESS_ENV)', () => {
    const env = instructions.filter((line) => line.startsWith('ENV ')).join(' ');
    for (const [name, value] of Object.entries(WORKER_PROCESS_ENV)) {
      expect(env, name).toMatch(new RegExp(`\\b${name}=("${value}"|${value})(\\s|$)`));
    }
  });

  it('keeps local state and secrets out of the build context', () => {
    for (const entry of ['node_modules', '.tools', '.data', '.env', '.git']) expect(dockerignore).toContain(entry);
  });
});
