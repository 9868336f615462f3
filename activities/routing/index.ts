/** Routing from an activity: the batcher that asks the routing-queue workflow for reps. Other folders import from here only. */
export { createRoutingBatcher } from './routing-batcher';
export { createPoolSync, type PoolSync, type PoolSyncDeps } from './pool-sync';
