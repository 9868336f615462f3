/**
 * `npm test`: typecheck, then lint and the vitest suite side by side. The suite mostly waits on
 * Temporal timers and sockets, so the lint's CPU fits beside it; run one after the other they cost
 * the sum. Lint's output is held until it ends so it never interleaves with vitest's. Exits non-zero
 * when any step fails, naming it.
 */
import { spawn } from 'node:child_process';

function run(script: string, quiet: boolean): Promise<{ script: string; code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', script], { stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => resolve({ script, code: code ?? 1, output }));
  });
}

const typecheck = await run('typecheck', false);
if (typecheck.code !== 0) {
  console.error('npm test: typecheck failed');
  process.exit(typecheck.code);
}
const [lint, suite] = await Promise.all([run('lint', true), run('test:suite', false)]);
if (lint.output.trim()) console.log(lint.output.trimEnd());
const failed = [lint, suite].filter((step) => step.code !== 0).map((step) => step.script);
if (failed.length) {
  console.error(`npm test: ${failed.join(' and ')} failed`);
  process.exit(1);
}
console.log('npm test: typecheck, lint and the suite passed');
