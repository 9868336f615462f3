/**
 * The CRM side of the contract: lifecycle stages that stay lifecycle stages (not deal stages), status
 * values that exist in each system's picklist, a status mapping that never moves HubSpot's lifecycle
 * backwards on a forward step, and field mappings without contradictions.
 */
import { HUBSPOT_LEAD_STATUSES, HUBSPOT_LIFECYCLE_STAGES, lifecycleRank, SALESFORCE_LEAD_STATUSES, dealStageLike } from '../crm';
import { type Findings, knownProperties, STAGES, type Contract } from '../contract';

/** The forward path of the handoff: each stage's lifecycle must not be earlier than the one before. */
const FORWARD_PATH = ['New', 'MQL', 'AwaitingAcceptance', 'SAL', 'SQL', 'Opportunity', 'Customer'] as const;

function vocabulary(contract: Contract) {
  return {
    lifecycle: new Set<string>([...HUBSPOT_LIFECYCLE_STAGES, ...contract.crm.lifecycleStages.map((s) => s.id)]),
    leadStatus: new Set<string>([...HUBSPOT_LEAD_STATUSES, ...contract.crm.leadStatuses]),
    salesforceStatus: new Set<string>([...SALESFORCE_LEAD_STATUSES, ...contract.crm.salesforceStatuses]),
  };
}

function checkStatusValues(contract: Contract, findings: Findings): void {
  const v = vocabulary(contract);
  const lifecycle = (path: string, value: string) => {
    if (v.lifecycle.has(value)) return;
    const byLabel = contract.crm.lifecycleStages.find((s) => s.label === value);
    findings.error(path, byLabel
      ? `use the custom stage's internal id "${byLabel.id}", not its label`
      : `unknown HubSpot lifecycle stage "${value}" (internal values: ${[...v.lifecycle].join(', ')}; declare custom ones in crm.lifecycleStages)`);
  };
  const leadStatus = (path: string, value: string) => {
    if (!v.leadStatus.has(value)) findings.error(path, `unknown hs_lead_status "${value}" (known: ${[...v.leadStatus].join(', ')}; declare custom ones in crm.leadStatuses)`);
  };
  const sfStatus = (path: string, value: string) => {
    if (!v.salesforceStatus.has(value)) findings.error(path, `unknown Salesforce Lead.Status "${value}" (known: ${[...v.salesforceStatus].join(', ')}; declare custom ones in crm.salesforceStatuses)`);
  };
  for (const stage of STAGES) {
    const target = contract.statusMapping[stage];
    lifecycle(`statusMapping.${stage}.hubspotLifecycle`, target.hubspotLifecycle);
    if (target.hubspotLeadStatus) leadStatus(`statusMapping.${stage}.hubspotLeadStatus`, target.hubspotLeadStatus);
    sfStatus(`statusMapping.${stage}.salesforceStatus`, target.salesforceStatus);
  }
  const revert = contract.handoff.revert;
  lifecycle('handoff.revert.hubspotLifecycle', revert.hubspotLifecycle);
  leadStatus('handoff.revert.hubspotLeadStatus', revert.hubspotLeadStatus);
  sfStatus('handoff.revert.salesforceStatus', revert.salesforceStatus);
  contract.rejectionTaxonomy.forEach((r, i) => leadStatus(`rejectionTaxonomy.${i}.hubspotLeadStatus`, r.hubspotLeadStatus));
  if (revert.hubspotLifecycle !== contract.statusMapping.Nurture.hubspotLifecycle) {
    findings.warn('handoff.revert.hubspotLifecycle', `differs from statusMapping.Nurture.hubspotLifecycle ("${contract.statusMapping.Nurture.hubspotLifecycle}"): a revert and a recycle would land in different stages`);
  }
}

function checkLifecycleOrder(contract: Contract, findings: Findings): void {
  for (let i = 1; i < FORWARD_PATH.length; i++) {
    const before = FORWARD_PATH[i - 1];
    const stage = FORWARD_PATH[i];
    if (!before || !stage) continue;
    const from = lifecycleRank(contract.statusMapping[before].hubspotLifecycle);
    const to = lifecycleRank(contract.statusMapping[stage].hubspotLifecycle);
    if (from >= 0 && to >= 0 && to < from) {
      findings.error(`statusMapping.${stage}.hubspotLifecycle`, `moves the lifecycle backwards on the forward step ${before} → ${stage}: HubSpot silently ignores that`);
    }
  }
}

function checkCustomStages(contract: Contract, findings: Findings): void {
  contract.crm.lifecycleStages.forEach((s, i) => {
    const pattern = dealStageLike(s.label);
    if (pattern) {
      findings.error(`crm.lifecycleStages.${i}.label`, `lifecycle stage "${s.label}" mirrors a deal stage (matches /${pattern}/): lifecycle tracks buyer progress, deals track the pipeline; track it as a deal stage instead`);
    }
  });
}

function checkFieldMappings(contract: Contract, findings: Findings): void {
  const seenHubSpot = new Map<string, number>();
  contract.fieldMappings.forEach((m, i) => {
    const earlier = seenHubSpot.get(m.hubspot);
    if (earlier !== undefined) findings.error(`fieldMappings.${i}.hubspot`, `"${m.hubspot}" is already mapped at fieldMappings.${earlier}`);
    seenHubSpot.set(m.hubspot, i);
    if (m.valueMap && m.rule === 'none') findings.warn(`fieldMappings.${i}.valueMap`, 'a value map on a field that does not sync is never used');
  });
  const known = knownProperties(contract);
  for (const key of ['dispositionField', 'closedLostReasonField'] as const) {
    const field = contract.feedback[key];
    if (!known.salesforce.has(field)) findings.error(`feedback.${key}`, `not observable: "${field}" is not a known Salesforce field (declare it in crm.properties)`);
  }
}

export function checkCrm(contract: Contract, findings: Findings): void {
  checkCustomStages(contract, findings);
  checkStatusValues(contract, findings);
  checkLifecycleOrder(contract, findings);
  checkFieldMappings(contract, findings);
}
