/**
 * The machine the documents draw is the machine that runs: every transition of the state machine is
 * driven on the time-skipping server through the event the contract defines for it (a contact that
 * fails MQL or lacks a required field, a contact completed, the acceptance clock, accept/reject, the
 * watcher's lead change meeting the SQL definition, a conversion, the opportunity closing won), and
 * the test fails on any transition no run made. Then every preset's machine must consist of transitions
 * those runs made (the presets differ only in which ones they enable).
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContract, presetPath } from '../mappings/load';
import { type Predicate, buildStateMachine } from '../mappings/contract';
import type { HandoffState } from '../api/handoff';
import { acceptUpdate, contactChangedSignal, leadChangedSignal, rejectUpdate, stateQuery } from '../workflows/handoff';
import { eventually, startHandoffHarness, startHandoffOf, withHandoffWorkers, workAroundTheClock, type HandoffHarness } from './helpers/handoff';
import { timeSkippingEnv } from './helpers/temporal';

const PRESETS = ['default', 'small-team', 'account-based', 'product-led'] as const;

/** A value that satisfies one predicate of a definition over Salesforce fields. */
function satisfying(p: Predicate): [string, string] | undefined {
  switch (p.op) {
    case 'eq':
      return [p.property, String(p.value)];
    case 'in':
      return [p.property, String(p.values[0])];
    case 'present':
      return [p.property, 'confirmed'];
    case 'gt':
    case 'gte':
      return [p.property, String(p.value + 1)];
    case 'between':
      return [p.property, String(p.min)];
    default:
      return undefined;
  }
}

let env: TestWorkflowEnvironment;
let h: HandoffHarness;
const made = new Set<string>();
const key = (from: string, event: string, to: string) => `${from} --${event}--> ${to}`;

function record(state: HandoffState): void {
  let from = 'New';
  for (const entry of state.timeline) {
    if (entry.event === 'note') continue;
    made.add(key(from, entry.event, entry.stage));
    from = entry.stage;
  }
}

beforeAll(async () => {
  // Reps and calendar around the clock: every assignment finds a rep, however far the runs move time.
  [env, h] = await Promise.all([timeSkippingEnv(), startHandoffHarness({ tweak: workAroundTheClock })]);
});
afterAll(async () => {
  await Promise.all([h?.stop(), env?.teardown()]);
});

describe('every transition of the state machine', () => {
  it('is made by leadHandoff from the event that triggers it', async () => {
    const sql = Object.fromEntries(h.contract.definitions.sql.signals.map(satisfying).filter((e): e is [string, string] => e !== undefined));
    const recyclable = h.contract.rejectionTaxonomy.find((r) => r.recyclable)?.code ?? '';
    const final = h.contract.rejectionTaxonomy.find((r) => !r.recyclable)?.code ?? '';

    await withHandoffWorkers(env, h, async ({ taskQueue }) => {
      const start = (overrides: Record<string, string> = {}) => startHandoffOf(env, h, taskQueue, h.createMql(overrides));
      const assigned = async (handle: Awaited<ReturnType<typeof start>>) => {
        try {
          return await eventually(async () => {
            const s = await handle.query(stateQuery);
            return s.stage === 'AwaitingAcceptance' ? s : undefined;
          }, 'the assignment');
        } catch (err) {
          const s = await handle.query(stateQuery);
          throw new Error(`${String(err)}: ${handle.workflowId} is ${s.stage} (${s.timeline.map((t) => t.detail ?? t.event).join(' | ')})`);
        }
      };
      const leadChange = async (handle: Awaited<ReturnType<typeof start>>, change: { isConverted?: boolean; fields?: Record<string, string> }) => {
        const s = await handle.query(stateQuery);
        await handle.signal(leadChangedSignal, { leadId: s.salesforceLeadId ?? '', ownerId: s.ownerId, modifiedAt: new Date(await env.currentTimeMs()).toISOString(), ...change });
      };

      // MQL definition not met → Nurture.
      const notQualified = await start({ numemployees: '3' });
      await notQualified.result();
      record(await notQualified.query(stateQuery));

      // A required field blank → returned; completed (HubSpot's change webhook) → requalified; rejected final.
      const incomplete = await start({ firstname: '' });
      await eventually(async () => (await incomplete.query(stateQuery)).stage === 'ReturnedToMarketing', 'the return to marketing');
      const contactId = (await incomplete.query(stateQuery)).contactId;
      h.sandboxes.hubspot.store.update(contactId, { firstname: 'Grace' });
      await incomplete.signal(contactChangedSignal, { eventId: 'completed-1', propertyName: 'firstname', propertyValue: 'Grace', occurredAt: new Date(await env.currentTimeMs()).toISOString() });
      const first = await assigned(incomplete);
      await incomplete.executeUpdate(rejectUpdate, { args: [{ actor: first.ownerId ?? '', via: 'link', reason: final }] });
      await incomplete.result();
      record(await incomplete.query(stateQuery));

      // Nobody accepts: reassigned up to the limit, then back to nurture.
      const ignored = await start();
      await ignored.result();
      record(await ignored.query(stateQuery));

      // Rejected (recyclable) while awaiting acceptance.
      const recycled = await start();
      const r = await assigned(recycled);
      await recycled.executeUpdate(rejectUpdate, { args: [{ actor: r.ownerId ?? '', via: 'link', reason: recyclable }] });
      await recycled.result();
      record(await recycled.query(stateQuery));

      // Accepted, then rejected (recyclable and final) from SAL.
      for (const reason of [recyclable, final]) {
        const late = await start();
        const a = await assigned(late);
        await late.executeUpdate(acceptUpdate, { args: [{ actor: a.ownerId ?? '', via: 'link' }] });
        await late.executeUpdate(rejectUpdate, { args: [{ actor: a.ownerId ?? '', via: 'link', reason }] });
        await late.result();
        record(await late.query(stateQuery));
      }

      // Accepted → SQL (the watcher's change meets the SQL definition) → converted → opportunity won.
      const winner = await start();
      const w = await assigned(winner);
      await winner.executeUpdate(acceptUpdate, { args: [{ actor: w.ownerId ?? '', via: 'link' }] });
      await leadChange(winner, { fields: sql });
      await eventually(async () => (await winner.query(stateQuery)).stage === 'SQL', 'SQL from the SQL definition');
      // Both systems show SQL before the rep converts the lead (Salesforce refuses writes to a converted lead).
      await eventually(() => h.sandboxes.hubspot.store.value(w.contactId, 'lifecyclestage') === h.contract.statusMapping.SQL.hubspotLifecycle, 'SQL in HubSpot');
      const converted = h.sandboxes.salesforce.store.convertLead({ leadId: w.salesforceLeadId ?? '', convertedStatus: 'Closed - Converted', createOpportunity: true });
      h.sandboxes.salesforce.store.update('Opportunity', converted.opportunityId ?? '', { StageName: 'Closed Won' });
      await leadChange(winner, { isConverted: true });
      expect((await winner.result()).outcome).toBe('won');
      record(await winner.query(stateQuery));

      // Accepted → converted straight from SAL; the opportunity is lost.
      const lost = await start();
      const l = await assigned(lost);
      await lost.executeUpdate(acceptUpdate, { args: [{ actor: l.ownerId ?? '', via: 'link' }] });
      const lostLead = h.sandboxes.salesforce.store.convertLead({ leadId: l.salesforceLeadId ?? '', convertedStatus: 'Closed - Converted', createOpportunity: true });
      h.sandboxes.salesforce.store.update('Opportunity', lostLead.opportunityId ?? '', { StageName: 'Closed Lost' });
      await leadChange(lost, { isConverted: true });
      expect((await lost.result()).outcome).toBe('converted');
      record(await lost.query(stateQuery));
    });

    const defined = buildStateMachine(h.contract).transitions.map((t) => key(t.from, t.event, t.to));
    expect(defined.filter((t) => !made.has(t))).toEqual([]);
  }, 120_000);

  it.each(PRESETS)('of the %s preset is one of the transitions the runs made', (preset) => {
    expect(made.size).toBeGreaterThan(0);
    const machine = buildStateMachine(loadContract(presetPath(preset)));
    expect(machine.transitions.map((t) => key(t.from, t.event, t.to)).filter((t) => !made.has(t))).toEqual([]);
  });
});
