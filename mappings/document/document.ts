/**
 * The SLA document both teams sign, in the playbook's output format (sections I to VIII, exactly two
 * Mermaid diagrams), rendered from the same contract and state machine the bridge enforces.
 */
import { checkContract, type Finding } from '../check';
import { commitmentsSection, definitionsSection } from './document-contract';
import { dashboardSection, governanceSection, rolloutSection } from './document-governance';
import { feedbackSection, handoffSection } from './document-handoff';
import { commitmentLineage, type CommitmentLineage, type Contract } from '../contract';

export type AlignmentRating = 'BROKEN' | 'INFORMAL' | 'CONTRACTED';

/**
 * BROKEN: the contract has errors (it cannot be enforced as written). INFORMAL: enforceable, but some
 * commitment cannot be measured from a mapped source, or the check has warnings. CONTRACTED: clean.
 */
export function alignmentRating(findings: readonly Finding[], lineage: readonly CommitmentLineage[]): AlignmentRating {
  if (findings.some((f) => f.severity === 'error')) return 'BROKEN';
  if (findings.length || lineage.some((l) => l.signalMissing)) return 'INFORMAL';
  return 'CONTRACTED';
}

function summarySection(contract: Contract, findings: readonly Finding[], lineage: readonly CommitmentLineage[]): string {
  const rating = alignmentRating(findings, lineage);
  const crossing = lineage.filter((l) => l.crossesIntegration).map((l) => l.commitmentId);
  const missing = lineage.filter((l) => l.signalMissing);
  const errors = findings.filter((f) => f.severity === 'error');
  const leak = crossing.length
    ? `The handoff can leak where measurement crosses the HubSpot–Salesforce connector: ${crossing.length} of ${lineage.length} commitments (${crossing.join(', ')}) depend on data synced every ${contract.connector.cycleMinutes} minutes${missing.length ? `, and ${missing.length} (${missing.map((l) => l.commitmentId).join(', ')}) ${missing.length === 1 ? 'has' : 'have'} no mapped source at all` : ''}.`
    : 'Every commitment is measured where its events happen, so no leak hides behind the sync.';
  const firstError = errors[0];
  const firstMissing = missing[0];
  const fix = firstError
    ? `The single highest-leverage fix is to repair the contract itself, starting with ${firstError.path}: ${firstError.message}.`
    : firstMissing
      ? `The single highest-leverage fix is to give ${firstMissing.commitmentId} a mapped source (${firstMissing.signalMissing ?? ''}).`
      : `The single highest-leverage fix is already in place: no lead waits more than ${contract.handoff.acceptanceWindowBusinessMinutes} business minutes without being reassigned or reverted to nurture.`;
  const why = { BROKEN: 'the contract cannot be enforced as written', INFORMAL: 'enforced, but not every commitment is measured from a mapped source', CONTRACTED: 'every definition is observable and every commitment measured' }[rating];
  return ['### I. ALIGNMENT HEALTH SUMMARY', '', `${leak} ${fix} Overall alignment rating: **${rating}** (${why}).`].join('\n');
}

export function renderSlaDocument(contract: Contract, { now }: { now: Date }): string {
  const findings = checkContract(contract);
  const lineage = commitmentLineage(contract);
  return [
    `# ${contract.name}`,
    '',
    `Sales–marketing handoff SLA, contract version ${contract.version}, rendered ${now.toISOString().slice(0, 10)} by handoff-bridge from the contract file. The bridge enforces exactly what this document says.`,
    '',
    summarySection(contract, findings, lineage),
    '',
    definitionsSection(contract),
    '',
    commitmentsSection(contract, lineage),
    '',
    handoffSection(contract),
    '',
    feedbackSection(contract),
    '',
    dashboardSection(contract, lineage),
    '',
    governanceSection(contract),
    '',
    rolloutSection(contract, lineage),
    '',
  ].join('\n');
}
