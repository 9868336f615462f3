/** Rep rotation: the routing policy from the contract and the choice of the next rep. Other folders import from here only. */
export { isPriorityLead, type RotationPolicy, rotationPolicyOf, type RoutingInputs, routingInputsOf, type RoutingRep } from './rotation-policy';
export { rotationStateSchema } from './rotation-schema';
export { CATCH_ALL_TERRITORY, chooseRep, initialRotation, type RotationState } from './routing';
export { AWAITING_GRACE_MS, awaitingNow, capacityReason, capsOf, extendAwaiting, isDailyCap, newLeadsToday, prunedLoads, recordAssignment, releaseLead, repDay, type CappedRep, type RepLoad, type RoutingLoad } from './capacity';
export { repBackAt, routingWait, type RoutingWait } from './routing-wait';
export { poolChanges, poolExclusion, poolExclusions, poolFindings, poolGained, poolMemberOf, restrictToPool, type PoolCrm, type PoolMemberState, type PoolRep, type PoolSnapshot } from './pool';
export { formatPoolRead, formatPoolState, poolReportOf, recordPoolReport, POOL_CHANGES_KEPT, type PoolChange, type PoolReport, type PoolState } from './pool-state';
export { ANSWER_BYTES_MAX, DEFAULT_HISTORY_BUDGET, jsonBytes, RUN_RESERVE_BYTES, UPDATE_EVENT_BYTES, updateBytesBound, utf8Bytes, type HistoryBudget } from './history-budget';
