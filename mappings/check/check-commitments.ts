/**
 * Accountability: every commitment carries a sensible number, a unit that fits its measure and a
 * named owner; the six playbook commitments are all there on the right side; governance names real
 * owners and keeps its fixed agenda; lineage gaps surface as warnings.
 */
import { type Findings, bridgeStamps, commitmentLineage, REQUIRED_COMMITMENTS, REVIEW_AGENDA, type Commitment, type Contract } from '../contract';

const UNITS_BY_KIND: Record<Commitment['measure']['kind'], readonly Commitment['target']['unit'][]> = {
  count: ['leads_per_month'],
  ratio: ['percent'],
  completeness: ['percent'],
  presence: ['percent'],
  duration: ['business_minutes', 'minutes', 'hours'],
  attempts: ['attempts'],
};

const TEAM_OF: Record<(typeof REQUIRED_COMMITMENTS)[number], 'marketing' | 'sales'> = {
  mql_volume: 'marketing',
  acceptance_rate: 'marketing',
  data_completeness: 'marketing',
  speed_to_lead: 'sales',
  contact_attempts: 'sales',
  disposition_logged: 'sales',
};

function checkOwners(contract: Contract, findings: Findings): Set<string> {
  const ids = new Set<string>();
  contract.owners.forEach((o, i) => {
    if (ids.has(o.id)) findings.error(`owners.${i}.id`, `duplicate owner id "${o.id}"`);
    ids.add(o.id);
  });
  for (const team of ['marketing', 'sales'] as const) {
    if (!contract.owners.some((o) => o.team === team)) findings.error('owners', `name at least one ${team} owner: the contract is two-way`);
  }
  const ref = (path: string, id: string) => {
    if (!ids.has(id)) findings.error(path, `unknown owner "${id}": use an id from owners (${[...ids].join(', ')})`);
  };
  for (const key of ['mql', 'sal', 'sql'] as const) ref(`definitions.${key}.owner`, contract.definitions[key].owner);
  contract.commitments.forEach((c, i) => ref(`commitments.${i}.owner`, c.owner));
  const g = contract.governance;
  ref('governance.monthlyReview.chair', g.monthlyReview.chair);
  ref('governance.quarterlyRecalibration.owner', g.quarterlyRecalibration.owner);
  if (g.weeklySync) ref('governance.weeklySync.owner', g.weeklySync.owner);
  g.owners.forEach((id, i) => ref(`governance.owners.${i}`, id));
  const teams = new Set(g.owners.map((id) => contract.owners.find((o) => o.id === id)?.team));
  if (!teams.has('marketing') || !teams.has('sales')) findings.error('governance.owners', 'the agreement needs a named holder on both sides: one marketing and one sales owner');
  return ids;
}

function checkCommitment(contract: Contract, c: Commitment, path: string, findings: Findings): void {
  const { value, unit } = c.target;
  if (!Number.isFinite(value) || value <= 0) findings.error(`${path}.target.value`, `a commitment needs a positive number, got ${value}`);
  if (unit === 'percent' && value > 100) findings.error(`${path}.target.value`, `a percentage cannot exceed 100, got ${value}`);
  if (!UNITS_BY_KIND[c.measure.kind].includes(unit)) {
    findings.error(`${path}.target.unit`, `a ${c.measure.kind} measure is stated in ${UNITS_BY_KIND[c.measure.kind].join(' or ')}, not ${unit}`);
  }
  const stamps = bridgeStamps();
  const ends = { start: c.measure.start, stop: 'stop' in c.measure ? c.measure.stop : undefined };
  for (const [end, ref] of Object.entries(ends)) {
    if (ref?.system === 'bridge' && !stamps.has(ref.field)) {
      findings.error(`${path}.measure.${end}.field`, `the bridge stamps only ${[...stamps].join(', ')}; got "${ref.field}"`);
    }
  }
  const expected = TEAM_OF[c.id as keyof typeof TEAM_OF] as 'marketing' | 'sales' | undefined;
  if (expected && c.team !== expected) findings.error(`${path}.team`, `${c.id} is owed by ${expected}, not ${c.team}`);
  if (c.id === 'contact_attempts' && value !== contract.contactAttempts.attempts) {
    findings.error(`${path}.target.value`, `disagrees with contactAttempts.attempts (${contract.contactAttempts.attempts})`);
  }
}

export function checkCommitments(contract: Contract, findings: Findings): void {
  checkOwners(contract, findings);
  const seen = new Set<string>();
  contract.commitments.forEach((c, i) => {
    if (seen.has(c.id)) findings.error(`commitments.${i}.id`, `duplicate commitment id "${c.id}"`);
    seen.add(c.id);
    checkCommitment(contract, c, `commitments.${i}`, findings);
  });
  for (const id of REQUIRED_COMMITMENTS) {
    if (!seen.has(id)) findings.error('commitments', `missing the ${TEAM_OF[id]} commitment "${id}"`);
  }

  const g = contract.governance;
  if (g.monthlyReview.agenda.join() !== REVIEW_AGENDA.join()) {
    findings.error('governance.monthlyReview.agenda', `the agenda is fixed: ${REVIEW_AGENDA.join(', ')} (in that order), got ${g.monthlyReview.agenda.join(', ') || 'nothing'}`);
  }
  const trigger = contract.commitments.find((c) => c.id === g.recalibrationTrigger.metric);
  if (!trigger) findings.error('governance.recalibrationTrigger.metric', `unknown commitment "${g.recalibrationTrigger.metric}"`);
  else if (trigger.target.unit === 'percent' && g.recalibrationTrigger.below > 100) {
    findings.error('governance.recalibrationTrigger.below', `a percentage cannot exceed 100, got ${g.recalibrationTrigger.below}`);
  }

  commitmentLineage(contract).forEach((l, i) => {
    if (l.signalMissing) findings.warn(`commitments.${i}.measure`, l.signalMissing);
    if (l.syncRule === 'two_way') findings.warn(`commitments.${i}.measure`, 'measured across a two-way sync: the latest write wins, so the figure can flip');
  });
}
