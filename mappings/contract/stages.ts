/**
 * The lead lifecycle's stages, in order. Kept apart from the contract schema (zod) because the
 * workflows need the list at run time and must not load a validator into every workflow sandbox.
 */
export const STAGES = ['New', 'MQL', 'AwaitingAcceptance', 'SAL', 'SQL', 'Opportunity', 'Customer', 'Nurture', 'Disqualified', 'ReturnedToMarketing'] as const;
export type Stage = (typeof STAGES)[number];
