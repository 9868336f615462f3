/**
 * leadHandoff: one durable workflow per lead, executing the contract's state machine from MQL in
 * HubSpot to accepted, reassigned or reverted to nurture in both systems.
 *
 * Only the state machine decides a transition (HandoffRun.advance); the phases decide *when* events
 * happen (timers, signals, updates) and which CRM writes each new stage needs. A behaviour change for
 * running handoffs goes in its phase, behind `patched()`.
 */
import type { HandoffInput, HandoffResult } from '../../api/handoff';
import { followAccepted } from './accepted';
import { awaitDecision } from './await-decision';
import { reject } from './close';
import { registerHandlers } from './handlers';
import { awaitConnectorLead } from './place';
import { qualify } from './qualify';
import { CLOCK_SKEW_TOLERANCE_MS, HandoffRun } from './run';

export async function leadHandoff(input: HandoffInput): Promise<HandoffResult> {
  const run = new HandoffRun(input);
  registerHandlers(run);
  await run.loadPolicy(CLOCK_SKEW_TOLERANCE_MS);
  try {
    return await runPhases(run);
  } catch (err) {
    throw run.explainFailure(err);
  }
}

async function runPhases(run: HandoffRun): Promise<HandoffResult> {
  // A run continued as new while waiting for a rep (continue-wait.ts) resumes in phase 3, routing.
  if (!run.input.resume) {
    // 1. Qualify: MQL definition and data completeness.
    const unqualified = await qualify(run);
    if (unqualified) return unqualified;
    // 2. Place: the connector's Salesforce lead, within the contract's grace period.
    if (run.contract.handoff.syncGraceMinutes > 0) await awaitConnectorLead(run);
  }
  // 3. Await the decision: route, assign, alert, acceptance clock; reassign or revert on misses.
  const outcome = await awaitDecision(run);
  if ('result' in outcome) return outcome.result;
  // 4. Close: rejection (nurture or disqualified) or acceptance and what follows it.
  const { decided } = outcome;
  return decided.kind === 'reject' ? reject(run, decided.reason, decided.by) : followAccepted(run, decided);
}
