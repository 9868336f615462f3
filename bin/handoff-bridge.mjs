#!/usr/bin/env node
// The `handoff-bridge` command: runs the TypeScript CLI through tsx, so source and tool never differ.
// Checked first, before anything the CLI loads can fail on an older Node.
import { nodeVersionProblem } from './node-version.mjs';

const problem = nodeVersionProblem(process.versions.node);
if (problem) {
  console.error(problem);
  process.exit(1);
}
const { register } = await import('tsx/esm/api');
register();
await import('../worker/cli.ts');
