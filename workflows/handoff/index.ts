/** The leadHandoff workflow, its phases and the helpers only it uses. Other folders import from here only. */
export { crmAnswerCode } from './blocking';
export { ownershipProblem } from './decision-owner';
export { leadHandoff } from './lead-handoff';
export { acceptUpdate, contactChangedSignal, leadChangedSignal, rebaseContractUpdate, rejectUpdate, retryUpdate, stateQuery } from './messages';
export { ROUTING_WAIT_EVENTS_PER_RUN } from './continue-wait';
export { handoffCounters, type HandoffCounters } from './metrics';
