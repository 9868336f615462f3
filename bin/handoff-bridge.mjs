#!/usr/bin/env node
// The `handoff-bridge` command: runs the TypeScript CLI through tsx, so source and tool never differ.
import { register } from 'tsx/esm/api';

register();
await import('../worker/cli.ts');
