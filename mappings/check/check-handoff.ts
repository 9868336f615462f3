/**
 * The handoff and its safety nets: sane windows against the connector's cycle, alerts that can reach
 * someone, a closed rejection taxonomy that every reference stays inside, and feedback that uses it.
 */
import { largestRoutingPool, type Findings, type Contract } from '../contract';

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
/** An acceptance window longer than a working week is no longer a speed-to-lead commitment. */
const MAX_SANE_WINDOW_BUSINESS_DAYS = 5;

function checkWindows(contract: Contract, findings: Findings): void {
  const h = contract.handoff;
  const cycle = contract.connector.cycleMinutes;
  if (h.reminderBeforeBreachBusinessMinutes >= h.acceptanceWindowBusinessMinutes) {
    findings.error('handoff.reminderBeforeBreachBusinessMinutes', `the reminder (${h.reminderBeforeBreachBusinessMinutes}) must come inside the ${h.acceptanceWindowBusinessMinutes}-minute acceptance window`);
  }
  const day = contract.calendar.businessDayMinutes;
  if (day > 0 && h.acceptanceWindowBusinessMinutes > MAX_SANE_WINDOW_BUSINESS_DAYS * day) {
    findings.warn('handoff.acceptanceWindowBusinessMinutes', `${h.acceptanceWindowBusinessMinutes} business minutes is over ${MAX_SANE_WINDOW_BUSINESS_DAYS} working days: a lead goes cold long before`);
  }
  if (h.syncGraceMinutes < cycle) {
    findings.warn('handoff.syncGraceMinutes', `shorter than the connector's ${cycle}-minute cycle: the bridge may create a lead the connector was about to create`);
  }
  if (h.readBackAfterMinutes < cycle) {
    findings.warn('handoff.readBackAfterMinutes', `shorter than the connector's ${cycle}-minute cycle: the read-back can pass before the sync undoes a revert`);
  }
  const pool = largestRoutingPool(contract);
  if (h.reassignLimit >= contract.routing.reps.length) {
    findings.warn('handoff.reassignLimit', `${h.reassignLimit} reassignments need ${h.reassignLimit + 1} reps, the contract has ${contract.routing.reps.length}`);
  } else if (h.reassignLimit >= pool) {
    findings.warn('handoff.reassignLimit', `${h.reassignLimit} reassignments need ${h.reassignLimit + 1} reps who can take the same lead, but no ${contract.routing.territoryProperty ?? 'territory'} has more than ${pool}: a missed window is reassigned at most ${Math.max(0, pool - 1)} time(s)`);
  }
  if (contract.connector.cycleMinutes > 24 * 60) findings.warn('connector.cycleMinutes', `a ${contract.connector.cycleMinutes}-minute sync cycle is longer than a day`);
  const attempts = contract.contactAttempts;
  if (attempts.windowBusinessDays > 30) findings.warn('contactAttempts.windowBusinessDays', `${attempts.windowBusinessDays} business days is longer than a working month`);
}

function checkAlerts(contract: Contract, findings: Findings): void {
  contract.handoff.alerts.forEach((a, i) => {
    const path = `handoff.alerts.${i}.target`;
    if (a.target === 'rep' && a.kinds.includes('blocked')) {
      findings.error(path, 'kind "blocked" tells RevOps what to fix in a CRM or the contract: send it to a RevOps webhook or address, not to the rep');
    } else if (a.target === 'rep') {
      contract.routing.reps.forEach((rep, r) => {
        if (!rep.channels[a.channel]) findings.error(`routing.reps.${r}.channels.${a.channel}`, `alerts go to the rep on ${a.channel}, but ${rep.name} has no ${a.channel} address`);
      });
    } else if (a.channel === 'email' ? !EMAIL.test(a.target) : !/^https:\/\/\S+$/.test(a.target)) {
      findings.error(path, `a ${a.channel} target is "rep" or ${a.channel === 'email' ? 'an email address' : 'an https webhook URL'}, got "${a.target}"`);
    }
  });
  if (!contract.handoff.alerts.some((a) => a.kinds.includes('alert'))) findings.error('handoff.alerts', 'no channel carries the alert the instant a lead is assigned');
  if (!contract.handoff.alerts.some((a) => a.kinds.includes('breach'))) findings.warn('handoff.alerts', 'nobody hears about a breach: add a channel with kind "breach"');
  if (!contract.handoff.alerts.some((a) => a.kinds.includes('blocked'))) {
    findings.warn('handoff.alerts', 'nobody hears about a handoff a CRM refuses (inactive owner, renamed picklist value): add a RevOps channel with kind "blocked"');
  }
}

function checkTaxonomy(contract: Contract, findings: Findings): void {
  const taxonomy = contract.rejectionTaxonomy;
  if (!taxonomy.length) findings.error('rejectionTaxonomy', 'the rejection taxonomy is empty: a rejection without a reason is a shrug, not data');
  const codes = new Set<string>();
  taxonomy.forEach((r, i) => {
    if (codes.has(r.code)) findings.error(`rejectionTaxonomy.${i}.code`, `duplicate rejection code "${r.code}"`);
    codes.add(r.code);
    if (!r.recyclable && r.nurtureListId) findings.warn(`rejectionTaxonomy.${i}.nurtureListId`, `${r.code} is not recyclable, so its nurture list is never used`);
  });
  if (taxonomy.length && !taxonomy.some((r) => r.recyclable)) findings.warn('rejectionTaxonomy', 'no reason is recyclable: every rejected lead is lost to nurture');
  const fed = new Set<string>();
  contract.feedback.rejectionFeeds.forEach((feed, i) =>
    feed.codes.forEach((code, j) => {
      fed.add(code);
      if (!codes.has(code)) findings.error(`feedback.rejectionFeeds.${i}.codes.${j}`, `unknown rejection reason "${code}": the taxonomy is closed (${[...codes].join(', ') || 'empty'})`);
    }),
  );
  taxonomy.forEach((r, i) => {
    if (!fed.has(r.code)) findings.warn(`rejectionTaxonomy.${i}.code`, `${r.code} feeds no part of the contract (feedback.rejectionFeeds): marketing learns nothing from it`);
  });
}

export function checkHandoff(contract: Contract, findings: Findings): void {
  checkWindows(contract, findings);
  checkAlerts(contract, findings);
  checkTaxonomy(contract, findings);
}
