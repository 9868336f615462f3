/**
 * The demo's plan and its compressed contract, without running anything: every outcome class the
 * contract allows is planned, slow classes never end a run, and the demo contract is the default
 * preset with its clocks compressed and its week opened around the clock.
 */
import { describe, expect, it } from 'vitest';
import { buildDemoContract } from '../worker/demo/demo-contract';
import { planLeads, possibleClasses } from '../worker/demo/lead-plan';
import { progressLine } from '../worker/demo/progress-view';

describe('the npm start demo plan', () => {
  const contract = buildDemoContract({ windowMinutes: 2, reassignLimit: 1, syncSeconds: 20 }).contract;

  it('plans every outcome class the contract allows, once the run has enough leads', () => {
    const plan = planLeads(contract, { leads: 30, seed: 7 });
    expect(plan).toHaveLength(30);
    expect(new Set(plan.map((p) => p.outcome))).toEqual(new Set(possibleClasses(contract)));
    expect(possibleClasses(contract)).toContain('reassigned_then_accepted');
  });

  it('plans no reassignment when the contract allows none', () => {
    const noReassign = buildDemoContract({ windowMinutes: 1, reassignLimit: 0, syncSeconds: 3 }).contract;
    expect(planLeads(noReassign, { leads: 30, seed: 7 }).some((p) => p.outcome === 'reassigned_then_accepted')).toBe(false);
  });

  it('keeps the slow classes (a whole missed window) out of the last third of the run', () => {
    const plan = planLeads(contract, { leads: 30, seed: 3 });
    const lastThird = plan.slice(20);
    expect(lastThird.some((p) => p.outcome === 'ignored_reverted' || p.outcome === 'reassigned_then_accepted')).toBe(false);
  });

  it('gives rejections a reason from the closed taxonomy: recyclable for nurture, final for disqualified', () => {
    const taxonomy = new Map(contract.rejectionTaxonomy.map((r) => [r.code, r.recyclable]));
    for (const lead of planLeads(contract, { leads: 60, seed: 11 })) {
      if (lead.outcome === 'rejected_to_nurture') expect(taxonomy.get(lead.rejectionReason ?? '')).toBe(true);
      if (lead.outcome === 'rejected_disqualified') expect(taxonomy.get(lead.rejectionReason ?? '')).toBe(false);
    }
  });

  it('compresses the default preset: short windows, around-the-clock calendar and reps', () => {
    expect(contract.handoff.acceptanceWindowBusinessMinutes).toBe(2);
    expect(contract.handoff.reminderBeforeBreachBusinessMinutes).toBe(1);
    expect(contract.handoff.reassignLimit).toBe(1);
    expect(contract.calendar.businessDayMinutes).toBe(24 * 60);
    expect(contract.calendar.holidays).toEqual([]);
    for (const rep of contract.routing.reps) expect(rep.workingHours.sun).toEqual([['00:00', '24:00']]);
  });

  it('prints one plain progress line per tick when there is no terminal', () => {
    const line = progressLine({
      elapsedMs: 75_000,
      leads: { released: 3, total: 7 },
      byStage: { SAL: 2, AwaitingAcceptance: 1 },
      chat: { alert: 3, reminder: 1, breach: 0 },
      reps: { acceptedInSalesforce: 1, acceptedByLink: 1, rejected: 0, ignored: 1, attemptsLogged: 12, failed: [] },
      crmCalls: { hubspot: 40, salesforce: 30 },
      connector: { cycles: 4, leadsCreated: 3 },
      outcomes: { accepted_by_link: { planned: 2, reached: 1 } },
    });
    expect(line).not.toContain('\n');
    expect(line).toContain('[demo 1m15s] MQLs 3/7');
    expect(line).toContain('stages: AwaitingAcceptance 1, SAL 2');
    expect(line).toContain('outcomes: accepted_by_link 1/2');
  });
});
