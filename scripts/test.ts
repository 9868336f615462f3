/**
 * `npm test`: the typecheck and lint (`npm run check`: one TypeScript program for both) beside the
 * vitest suite. The suite runs on esbuild's type-stripping, so it needs nothing from the typecheck;
 * one after the other they cost the sum, and the suite's waits on Temporal timers and sockets leave
 * room for the check's CPU. (At a lower CPU priority the check ended 35-50 s after the suite on 2
 * cores, on one core: the sum again.) The check's output is held until it ends, so it never
 * interleaves with vitest's. Exits non-zero when either fails, naming each that did.
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

const [check, suite] = await Promise.all([run('check', true), run('test:suite', false)]);
if (check.output.trim()) console.log(check.output.trimEnd());
const failed = [check, suite].filter((step) => step.code !== 0).map((step) => step.script);
if (failed.length) {
  console.error(`npm test: ${failed.join(', ')} failed`);
  process.exit(1);
}
console.log('npm test: the typecheck, the lint and the suite passed');
