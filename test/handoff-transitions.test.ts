/**
 * The machine the documents draw is the machine that runs, for every shipped preset: each preset's
 * state machine is built from its own contract, and every transition of it is driven on the
 * time-skipping server through the event that contract defines for it (a contact failing its MQL
 * definition or lacking one of its required fields, the contact completed, its acceptance clock and
 * reassignment limit, accept/reject with its own taxonomy, the watcher's lead change meeting its SQL
 * definition, a conversion, the opportunity closing won). A transition no run made fails the test.
 *
 * One time-skipping server and one prebuilt bundle for all presets; each preset its own portal and
 * workers (a worker serves one contract, as in production). Everything that needs no timer runs for
 * all presets at once with time locked; then the runs that wait out acceptance windows are awaited one
 * at a time, the only moments the server skips time.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRESETS, type PresetName } from '../mappings/load';
import { buildStateMachine } from '../mappings/contract';
import type { HandoffState } from '../api/handoff';
import { acceptUpdate, contactChangedSignal, leadChangedSignal, rejectUpdate, stateQuery } from '../workflows/handoff';
import { failingMql, incompleteProperty, mqlPropertiesFor, sqlFieldsFor } from './helpers/contract-contacts';
import { eventually, startHandoffHarness, startHandoffOf, withHandoffWorkers, workAroundTheClock, type HandoffHarness } from './helpers/handoff';
import { timeSkippingEnv } from './helpers/temporal';

let env: TestWorkflowEnvironment;
const harnesses = new Map<PresetName, HandoffHarness>();
const key = (from: string, event: string, to: string) => `${from} --${event}--> ${to}`;

/** The transitions a run made, read from its timeline. */
function transitionsOf(state: HandoffState): string[] {
  let from = 'New';
  const made: string[] = [];
  for (const entry of state.timeline) {
    if (entry.event === 'note') continue;
    made.push(key(from, entry.event, entry.stage));
    from = entry.stage;
  }
  return made;
}

beforeAll(async () => {
  // Reps and calendar around the clock: every assignment finds a rep, however far the runs move time.
  const started = await Promise.all([timeSkippingEnv(), ...PRESETS.map((preset) => startHandoffHarness({ preset, tweak: workAroundTheClock }))]);
  env = started[0];
  PRESETS.forEach((preset, i) => harnesses.set(preset, started[i + 1] as HandoffHarness));
});
afterAll(async () => {
  await Promise.all([...[...harnesses.values()].map((h) => h.stop()), env?.teardown()]);
});

type Handle = Awaited<ReturnType<typeof startHandoffOf>>;

/** The bridge's workers for every preset's harness at once, each on its own task queue. */
async function withEveryPresetsWorkers<T>(presets: readonly PresetName[], fn: (queues: Map<PresetName, string>) => Promise<T>, queues = new Map<PresetName, string>()): Promise<T> {
  const [preset, ...rest] = presets;
  if (!preset) return fn(queues);
  const h = harnesses.get(preset) as HandoffHarness;
  return withHandoffWorkers(env, h, ({ taskQueue }) => withEveryPresetsWorkers(rest, fn, queues.set(preset, taskQueue)));
}

/**
 * Drives every transition that needs no timer for one preset, with time locked, and returns the
 * transitions made plus the run that waits out its acceptance windows (awaited later).
 */
async function driveWithoutTimers(preset: PresetName, taskQueue: string): Promise<{ made: string[]; ignored: Handle }> {
  const h = harnesses.get(preset) as HandoffHarness;
  const contract = h.contract;
  const made: string[] = [];
  const now = async () => new Date(await env.currentTimeMs());
  const start = async (overrides: Record<string, string> = {}) => startHandoffOf(env, h, taskQueue, h.sandboxes.hubspot.store.createContact(mqlPropertiesFor(contract, await now(), overrides)).id);
  const stageOf = async (handle: Handle, stage: string, what: string): Promise<HandoffState> => {
    try {
      return await eventually(async () => {
        const s = await handle.query(stateQuery);
        return s.stage === stage ? s : undefined;
      }, `${preset}: ${what}`);
    } catch (err) {
      const s = await handle.query(stateQuery);
      throw new Error(`${String(err)}: ${handle.workflowId} is ${s.stage} (${s.timeline.map((t) => t.detail ?? t.event).join(' | ')})`, { cause: err });
    }
  };
  const record = async (handle: Handle) => made.push(...transitionsOf(await handle.query(stateQuery)));
  const leadChange = async (handle: Handle, change: { isConverted?: boolean; fields?: Record<string, string> }) => {
    const s = await handle.query(stateQuery);
    await handle.signal(leadChangedSignal, { leadId: s.salesforceLeadId ?? '', ownerId: s.ownerId, modifiedAt: (await now()).toISOString(), ...change });
  };
  const reason = (recyclable: boolean) => {
    const code = contract.rejectionTaxonomy.find((r) => r.recyclable === recyclable)?.code;
    if (!code) throw new Error(`${preset} has no ${recyclable ? 'recyclable' : 'final'} rejection reason`);
    return code;
  };
  const converting = async (handle: Handle, ownerState: HandoffState, stageName: 'Closed Won' | 'Closed Lost') => {
    const converted = h.sandboxes.salesforce.store.convertLead({ leadId: ownerState.salesforceLeadId ?? '', convertedStatus: 'Closed - Converted', createOpportunity: true });
    h.sandboxes.salesforce.store.update('Opportunity', converted.opportunityId ?? '', { StageName: stageName });
    await leadChange(handle, { isConverted: true });
  };

  // Started first: it sits in its acceptance window (real minutes while time is locked) until awaited.
  const ignored = await start();

  const runs: Promise<void>[] = [
    // The MQL definition not met → Nurture.
    (async () => {
      const notQualified = await start(failingMql(contract));
      await stageOf(notQualified, 'Nurture', 'not qualified');
      await record(notQualified);
    })(),
    // A required field blank → returned; completed (HubSpot's change webhook) → requalified; rejected final while awaiting acceptance.
    (async () => {
      const field = incompleteProperty(contract);
      if (!field) return;
      const incomplete = await start({ [field]: '' });
      const { contactId } = await stageOf(incomplete, 'ReturnedToMarketing', 'the return to marketing');
      const value = mqlPropertiesFor(contract, await now())[field] ?? 'completed';
      h.sandboxes.hubspot.store.update(contactId, { [field]: value });
      await incomplete.signal(contactChangedSignal, { eventId: `completed-${contactId}`, propertyName: field, propertyValue: value, occurredAt: (await now()).toISOString() });
      const a = await stageOf(incomplete, 'AwaitingAcceptance', 'the assignment after completion');
      await incomplete.executeUpdate(rejectUpdate, { args: [{ actor: a.ownerId ?? '', via: 'link', reason: reason(false) }] });
      await record(incomplete);
    })(),
    // Rejected (recyclable) while awaiting acceptance.
    (async () => {
      const recycled = await start();
      const a = await stageOf(recycled, 'AwaitingAcceptance', 'the assignment');
      await recycled.executeUpdate(rejectUpdate, { args: [{ actor: a.ownerId ?? '', via: 'link', reason: reason(true) }] });
      await record(recycled);
    })(),
    // Accepted, then rejected (recyclable and final) from SAL.
    ...[true, false].map(async (recyclable) => {
      const late = await start();
      const a = await stageOf(late, 'AwaitingAcceptance', 'the assignment');
      await late.executeUpdate(acceptUpdate, { args: [{ actor: a.ownerId ?? '', via: 'link' }] });
      await late.executeUpdate(rejectUpdate, { args: [{ actor: a.ownerId ?? '', via: 'link', reason: reason(recyclable) }] });
      await record(late);
    }),
    // Accepted → SQL (the watcher's change meets this preset's SQL definition) → converted → opportunity won.
    (async () => {
      const winner = await start();
      const w = await stageOf(winner, 'AwaitingAcceptance', 'the assignment');
      await winner.executeUpdate(acceptUpdate, { args: [{ actor: w.ownerId ?? '', via: 'link' }] });
      await leadChange(winner, { fields: sqlFieldsFor(contract, await now()) });
      await stageOf(winner, 'SQL', 'SQL from the SQL definition');
      // Both systems show SQL before the rep converts the lead (Salesforce refuses writes to a converted lead).
      await eventually(() => h.sandboxes.hubspot.store.value(w.contactId, 'lifecyclestage') === contract.statusMapping.SQL.hubspotLifecycle, `${preset}: SQL in HubSpot`);
      await eventually(async () => ((await winner.describe()).raw.pendingActivities ?? []).length === 0, `${preset}: SQL in Salesforce`);
      await converting(winner, w, 'Closed Won');
      await stageOf(winner, 'Customer', 'won from the opportunity');
      await eventually(async () => (await winner.query(stateQuery)).outcome === 'won', `${preset}: the outcome won`);
      await record(winner);
    })(),
    // Accepted → converted straight from SAL; the opportunity is lost.
    (async () => {
      const lost = await start();
      const l = await stageOf(lost, 'AwaitingAcceptance', 'the assignment');
      await lost.executeUpdate(acceptUpdate, { args: [{ actor: l.ownerId ?? '', via: 'link' }] });
      await converting(lost, l, 'Closed Lost');
      await eventually(async () => (await lost.query(stateQuery)).outcome === 'converted', `${preset}: the lost opportunity's outcome`);
      await record(lost);
    })(),
  ];
  await Promise.all(runs);
  return { made, ignored };
}

describe("every transition of each preset's state machine", () => {
  it('is made by leadHandoff from the event that triggers it', async () => {
    const unreached = await withEveryPresetsWorkers(PRESETS, async (queues) => {
      const driven = await Promise.all(PRESETS.map((preset) => driveWithoutTimers(preset, queues.get(preset) ?? '')));
      const missing: Record<string, string[]> = {};
      for (const [i, preset] of PRESETS.entries()) {
        const run = driven[i];
        if (!run) throw new Error(`${preset} was not driven`);
        const { made, ignored } = run;
        // Nobody accepts: reassigned up to this preset's limit, then back to nurture (time skips here only).
        expect((await ignored.result()).outcome, preset).toBe('reverted_missed');
        made.push(...transitionsOf(await ignored.query(stateQuery)));
        const machine = buildStateMachine((harnesses.get(preset) as HandoffHarness).contract);
        missing[preset] = machine.transitions.map((t) => key(t.from, t.event, t.to)).filter((t) => !made.includes(t));
      }
      return missing;
    });
    expect(unreached).toEqual(Object.fromEntries(PRESETS.map((preset) => [preset, []])));
  }, 120_000);
});
