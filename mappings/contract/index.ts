/** The SLA contract: its schema and types, the lifecycle stages and state machine, predicates over CRM properties, lineage. Other folders import from here only. */
export { ACTIVITY_SOURCES } from './activity-types';
export { describePredicate } from './describe-predicate';
export { type Finding, Findings, formatFinding, locateFindings, type SourceMap } from './findings';
export { bridgeStamps, knownProperties, type KnownProperties } from './known-properties';
export { commitmentLineage, type CommitmentLineage, CROSSING_ROUTE_NAMES, type CrossingRoute, crossingRoutes, describeCrossing, routeLagMinutes, STAMPED_FROM_SALESFORCE } from './lineage';
export type { Predicate } from './predicate-schema';
export { evaluateDefinition, evaluatePredicate, missingRequired, parseInstant, type Props } from './predicates';
export { type Capacity, type Commitment, type Contract, contractSchema, type EventRef, type Rep, REQUIRED_COMMITMENTS, REVIEW_AGENDA } from './schema';
export { buildStateMachine, IllegalTransitionError, LEAD_EVENTS, type LeadEvent, type MachineContract, missesBeforeRevert, type StateMachine, statusFor } from './state-machine';
export { STAGES, type Stage } from './stages';
export { type FieldMapping, syncDirections } from './sync-rules';
export { handoffContractOf, type HandoffContract, type PinnedContract } from './handoff-contract';
export { CATCH_ALL_TERRITORY, type Covered, type CoveringRep, everyCoveringRepMissed, largestRoutingPool, repsCovering, territoryCandidates } from './coverage';
export { OPPORTUNITY_CHECK_MINUTES, WATCHER_POLL_SECONDS } from './crossing-lags';
export { sqlSignalFields } from './sql-signals';
