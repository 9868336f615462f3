/**
 * The RevOps alert for a handoff a CRM refused for good: which lead, which step, what the CRM said and
 * what to change before `lead retry`. It goes to every channel the contract lists with kind `blocked`
 * (RevOps' channel: the rep is never the one to fix an org's configuration).
 */
import type { Contract } from '../../mappings/contract';
import { CRM_ERROR_TYPES, type BlockedAlertMessage, type Notifier } from '../ports';

export interface BlockedAlertInput {
  workflowId: string;
  contactId: string;
  /** "Acme GmbH (contact 123)": what the handoff's memo calls the lead. */
  lead: string;
  /** The activity the CRM refused (assignLead, updateLead, writeContact, ...). */
  step: string;
  /** The CRM's error code (INACTIVE_OWNER_OR_USER, HTTP 400 VALIDATION_ERROR) or the failure type. */
  code: string;
  /** CrmInvalidRequest, CrmNotFound or CrmUnauthorized. */
  errorType: string;
  /** The Salesforce user the write tried to make owner, when the step was an assignment. */
  ownerId?: string;
  salesforceLeadId?: string;
  /** The handoff's stage when it stopped. */
  stage: string;
}

/** What to change, by what the CRM said; each ends with the command that resumes the handoff. */
export function fixFor(input: Pick<BlockedAlertInput, 'code' | 'errorType' | 'ownerId' | 'contactId' | 'step'>, repName?: string): string {
  const rep = input.ownerId ? `${repName ?? 'the rep'} (Salesforce user ${input.ownerId})` : 'the rep';
  const retry = `then run \`npx handoff-bridge lead retry ${input.contactId}\` (or \`lead retry --all --step ${input.step}\` for every lead stopped the same way)`;
  const code = input.code;
  if (code.startsWith('INACTIVE_OWNER_OR_USER')) return `Re-activate ${rep} in Salesforce, or take them out of routing.reps in the contract and move the lead to it (\`lead rebase-contract ${input.contactId} --contract FILE\`); ${retry}.`;
  if (code.startsWith('INVALID_CROSS_REFERENCE_KEY')) {
    return `Salesforce has no record with an id this write names${input.ownerId ? `: routing.reps names ${rep}, which the org does not have` : ''}. Correct the id in the contract and move the lead to it (\`lead rebase-contract ${input.contactId} --contract FILE\`); ${retry}.`;
  }
  if (code.includes('PICKLIST') || code.startsWith('INVALID_STATUS')) return `A value the contract writes is not in the org's picklist: add it in Salesforce or change the contract's value; ${retry}.`;
  if (code.startsWith('INVALID_FIELD')) return `A field the contract writes is missing or read-only for the integration user: restore the field or its field-level security; ${retry}.`;
  if (input.errorType === CRM_ERROR_TYPES.unauthorized) return `The integration user lost access: restore its credentials or permissions; ${retry}.`;
  if (input.errorType === CRM_ERROR_TYPES.notFound) return `The record this step writes was deleted or merged: restore it (or clear the stale id), ${retry}.`;
  return `Correct what the CRM refused (${code}) in the CRM or in the contract; ${retry}.`;
}

export function blockedAlertMessage(contract: Contract, input: BlockedAlertInput): BlockedAlertMessage {
  const repName = contract.routing.reps.find((r) => r.id === input.ownerId)?.name;
  const facts = [
    { label: 'Lead', value: input.lead },
    { label: 'Step', value: `${input.step} (at stage ${input.stage})` },
    { label: 'CRM answer', value: `${input.code} [${input.errorType}]` },
    ...(input.ownerId ? [{ label: 'Owner', value: `${repName ?? 'not in the contract'} (${input.ownerId})` }] : []),
    ...(input.salesforceLeadId ? [{ label: 'Salesforce lead', value: input.salesforceLeadId }] : []),
    { label: 'Handoff', value: input.workflowId },
  ];
  return { kind: 'blocked', title: `Handoff blocked at ${input.step}: ${input.lead}`, facts, fix: fixFor(input, repName) };
}

/** Sends the alert to every `blocked` channel; with none configured it reports that no one was told. */
export async function sendBlockedAlert(contract: Contract, notifier: Notifier, input: BlockedAlertInput): Promise<{ deliveredAt?: string; channels: string[] }> {
  const message = blockedAlertMessage(contract, input);
  const targets = contract.handoff.alerts.filter((a) => a.kinds.includes('blocked') && a.target !== 'rep');
  let deliveredAt: string | undefined;
  for (const target of targets) {
    const sent = await notifier.send({ channel: target.channel, target: target.target, message });
    deliveredAt ??= sent.deliveredAt;
  }
  return { ...(deliveredAt ? { deliveredAt } : {}), channels: targets.map((t) => t.channel) };
}
