/**
 * `npm run build:bundle`: bundles the workflows ahead of time into dist/workflow-bundle.js (with the
 * manifest that lets the worker refuse it once the sources change). The Dockerfile runs it, so
 * production workers start without webpack.
 */
import { relative } from 'node:path';
import { createLogger } from '../worker/logger';
import { buildWorkflowBundle } from '../worker/workflow-bundle';

const logger = createLogger({ level: 'warn', destination: process.stderr, base: { service: 'build-bundle' } });
const { codePath, manifest } = await buildWorkflowBundle({ logger });
console.log(`wrote ${relative(process.cwd(), codePath)} (sources ${manifest.sourceDigest.slice(0, 12)})`);
