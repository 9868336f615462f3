/**
 * A signal whose payload its handler cannot read is logged and ignored (api/signal-payloads.ts says
 * why): thrown, it would fail the workflow task on every retry and stop the workflow there. The log
 * line (with the workflow's id, from the workflow logger) names the signal and the problem, never the
 * payload's values; the signal itself stays in the history for the Temporal UI.
 */
import { log } from '@temporalio/workflow';

/** True when `problem` is set: the caller's handler returns without acting on the payload. */
export function ignoredAsMalformed(signal: string, problem: string | undefined): boolean {
  if (problem === undefined) return false;
  log.warn(`ignored a ${signal} signal: ${problem}`, { signal, problem });
  return true;
}
