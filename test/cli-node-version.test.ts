import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nodeVersionProblem, REQUIRED_NODE_MAJOR } from '../bin/node-version.mjs';

describe('the CLI on the wrong Node', () => {
  it('names the version it needs, the one it found and how to run it, before loading anything', () => {
    expect(nodeVersionProblem('20.20.2')).toBe(
      'handoff-bridge needs Node 24 (this is Node 20.20.2): run it as `npx handoff-bridge …` or through an npm script, which use the Node 24 that npm install placed in node_modules/.bin.',
    );
    expect(nodeVersionProblem('23.11.0')).toMatch(/needs Node 24 \(this is Node 23\.11\.0\)/);
    expect(nodeVersionProblem('24.0.0')).toBeUndefined();
    expect(nodeVersionProblem(process.versions.node)).toBeUndefined();
  });

  it('asks for the Node that package.json engines pins', () => {
    const engines = (JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } }).engines.node;
    expect(engines).toMatch(new RegExp(`^>=${REQUIRED_NODE_MAJOR} `));
  });
});
