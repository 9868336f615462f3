/** The SLA document and its diagrams, rendered from the contract. Other folders import from here only. */
export { handoffFlowchart, lifecycleStateDiagram } from './diagrams';
export { renderSlaDocument } from './document';
