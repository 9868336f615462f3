/**
 * `npm test`: the typecheck, the lint and the vitest suite side by side. The suite runs on esbuild's
 * type-stripping, so it needs nothing from the typecheck; run one after the other the three cost the
 * sum, and the suite's waits on Temporal timers and sockets leave room for the other two's CPU. (At a
 * lower CPU priority they ended 35-50 s after the suite on 2 cores, on one core: the sum again.) The
 * typecheck's and lint's output is held until each ends, so it never interleaves with vitest's. Exits
 * non-zero when any step fails, naming each that did.
 */
import { spawn } from 'node:child_process';

/** Runs an npm script; a `quiet` one's output is held until it ends. */
function run(script: string, quiet: boolean): Promise<{ script: string; code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', script], { stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => resolve({ script, code: code ?? 1, output }));
  });
}

const [typecheck, lint, suite] = await Promise.all([run('typecheck', true), run('lint', true), run('test:suite', false)]);
if (typecheck.output.trim()) console.log(typecheck.output.trimEnd());
if (lint.output.trim()) console.log(lint.output.trimEnd());
const failed = [typecheck, lint, suite].filter((step) => step.code !== 0).map((step) => step.script);
if (failed.length) {
  console.error(`npm test: ${failed.join(', ')} failed`);
  process.exit(1);
}
console.log('npm test: typecheck, lint and the suite passed');
