/**
 * Workflow time. Inside the Temporal sandbox `Date` reads the time of the current workflow task, so it
 * replays identically; this is the one place workflows read it, so lint can forbid it everywhere else.
 */
export function workflowNow(): Date {
  // eslint-disable-next-line no-restricted-syntax -- the sanctioned, replay-safe reading of workflow time
  return new Date(Date.now());
}
