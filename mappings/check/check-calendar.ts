/**
 * Calendars and routing: working hours that exist and do not overlap, holidays listed once, reps
 * who can actually be reached under the chosen policy.
 */
import { DateTime } from 'luxon';
import { WEEKDAYS, type WorkingHours, weeklyWorkingMinutes } from '../calendar';
import { type Findings, knownProperties, type Contract } from '../contract';
import { CATCH_ALL_TERRITORY } from '../routing';

function checkWorkingHours(hours: WorkingHours, path: string, whose: string, findings: Findings): void {
  if (weeklyWorkingMinutes(hours) === 0) {
    findings.error(path, `${whose} has no working time in the week: every deadline would be infinite`);
    return;
  }
  for (const day of WEEKDAYS) {
    const sorted = [...(hours[day] ?? [])].sort(([a], [b]) => a.localeCompare(b));
    for (let i = 1; i < sorted.length; i++) {
      const previous = sorted[i - 1];
      const current = sorted[i];
      if (previous && current && current[0] < previous[1]) {
        findings.error(`${path}.${day}`, `working intervals ${previous.join('-')} and ${current.join('-')} overlap`);
      }
    }
  }
}

function checkDuplicates(values: readonly string[], path: string, what: string, findings: Findings): void {
  const seen = new Set<string>();
  values.forEach((v, i) => {
    if (seen.has(v)) findings.warn(`${path}.${i}`, `${what} ${v} is listed twice`);
    seen.add(v);
  });
}

function checkReps(contract: Contract, findings: Findings): void {
  const ids = new Set<string>();
  contract.routing.reps.forEach((rep, i) => {
    const path = `routing.reps.${i}`;
    if (rep.id === '') findings.warn(`${path}.email`, `no Salesforce User Id: the worker resolves it from "${rep.email}" at start (\`sla check --live\` shows whether it can)`);
    else if (ids.has(rep.id)) findings.error(`${path}.id`, `duplicate rep id ${rep.id}`);
    ids.add(rep.id);
    checkWorkingHours(rep.workingHours, `${path}.workingHours`, rep.name, findings);
    (rep.outOfOffice ?? []).forEach((o, j) => {
      const from = DateTime.fromISO(o.from, { zone: rep.timeZone });
      const to = DateTime.fromISO(o.to, { zone: rep.timeZone });
      if (from > to) findings.error(`${path}.outOfOffice.${j}`, `out of office ends (${o.to}) before it starts (${o.from})`);
    });
  });
}

function checkPolicy(contract: Contract, findings: Findings): void {
  const { policy, reps, territoryProperty } = contract.routing;
  if (policy === 'weighted' && reps.every((r) => (r.weight ?? 1) === 0)) findings.error('routing.reps', 'weighted routing with every weight 0 routes nobody');
  if (policy !== 'territory') return;
  if (!territoryProperty) findings.error('routing.territoryProperty', 'territory routing needs the lead property that names the territory');
  else if (!knownProperties(contract).hubspot.has(territoryProperty)) {
    findings.error('routing.territoryProperty', `not observable: "${territoryProperty}" is not a known HubSpot property`);
  }
  reps.forEach((rep, i) => {
    if (!rep.territories?.length) findings.warn(`routing.reps.${i}.territories`, `${rep.name} covers no territory, so territory routing never picks them`);
  });
  if (!reps.some((r) => r.territories?.includes(CATCH_ALL_TERRITORY))) {
    findings.warn('routing.reps', `no rep covers "${CATCH_ALL_TERRITORY}": a lead from an uncovered territory waits for no one`);
  }
}

export function checkCalendarAndRouting(contract: Contract, findings: Findings): void {
  checkWorkingHours(contract.calendar.workingHours, 'calendar.workingHours', 'the business calendar', findings);
  checkDuplicates(contract.calendar.holidays, 'calendar.holidays', 'holiday', findings);
  checkReps(contract, findings);
  checkPolicy(contract, findings);
}
