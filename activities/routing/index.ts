/** Routing from an activity: the batcher that asks the routing-queue workflow for reps. Other folders import from here only. */
export { createRoutingBatcher } from './routing-batcher';
export { isRunFull, sendUntilTaken } from './routing-send';
export { createPoolSync, type PoolSync, type PoolSyncDeps } from './pool-sync';
export { createPoolReporter, type PoolReporter, type PoolReporterDeps } from './pool-report';
export { poolName, readPool, type PoolReadPorts, type PoolSettings } from './pool-read';
