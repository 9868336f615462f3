/** The LeadStage search attribute's value while no rep can take the lead yet (no workflow imports: the CLI reads it). */
export const ROUTING_STAGE = 'Routing';
