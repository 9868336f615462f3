/** Every workflow the worker registers. */
export { canary } from './canary';
export { leadHandoff } from './handoff';
export { mqlSweep } from './mql-sweep';
export { reconcile } from './reconcile';
export { routingQueue } from './routing-queue';
export { salesforceStatusWatcher } from './status-watcher';
export { callBudgetKeeper } from './call-budget-keeper';
export { contractRegistry } from './contract-registry';
