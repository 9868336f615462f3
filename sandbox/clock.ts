/** Milliseconds since the epoch. Sandboxes take one so tests can order writes deterministically. */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();
