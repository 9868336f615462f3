/**
 * The workflow thread's heap settings reach a thread started after tuneWorkflowHeaps(): its young
 * generation stays within two semi-spaces of SEMI_SPACE_MB however much short-lived garbage it makes
 * (V8's default lets it grow to 16 MB and more here).
 */
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { SEMI_SPACE_MB, tuneWorkflowHeaps } from '../worker/heap-tuning';

const CHURN = `
const { getHeapSpaceStatistics } = require('node:v8');
const { parentPort } = require('node:worker_threads');
let largest = 0;
for (let round = 0; round < 2000; round++) {
  const garbage = [];
  for (let i = 0; i < 2000; i++) garbage.push({ i, text: 'event ' + i });
  const young = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
  largest = Math.max(largest, young ? young.space_size : 0);
}
parentPort.postMessage(largest);
`;

function largestYoungGeneration(): Promise<number> {
  return new Promise((resolve, reject) => {
    const thread = new Worker(CHURN, { eval: true });
    thread.once('message', (bytes: number) => {
      resolve(bytes);
      void thread.terminate();
    });
    thread.once('error', reject);
  });
}

describe('tuneWorkflowHeaps', () => {
  it('bounds the young generation of threads started after it', async () => {
    tuneWorkflowHeaps();
    const bytes = await largestYoungGeneration();
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThanOrEqual(2 * SEMI_SPACE_MB * 1024 * 1024);
  });
});
