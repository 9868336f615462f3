/**
 * What a rep sees: the lead's facts the contract lists, the deadline, and the signed links. Built from
 * the contract so the alert's content is part of what both teams signed.
 */
import type { Contract } from '../../mappings/contract';
import type { RepAlertMessage } from '../ports';

const TITLES: Record<RepAlertMessage['kind'], (company: string) => string> = {
  alert: (company) => `New MQL for you: ${company}`,
  reminder: (company) => `Reminder: accept or reject ${company} before the SLA deadline`,
  breach: (company) => `SLA missed: ${company} was not accepted in time`,
};

export function alertMessageFor(input: {
  contract: Contract;
  kind: RepAlertMessage['kind'];
  repName: string;
  contact: Record<string, string | null>;
  deadline: string;
  acceptUrl: string;
  rejectUrl: string;
}): RepAlertMessage {
  const company = input.contact.company || 'a new lead';
  return {
    kind: input.kind,
    title: TITLES[input.kind](company),
    facts: [
      { label: 'Assigned to', value: input.repName },
      ...input.contract.handoff.alertFacts.map((property) => ({ label: property, value: input.contact[property] || '—' })),
    ],
    deadline: input.deadline,
    acceptUrl: input.acceptUrl,
    rejectUrl: input.rejectUrl,
  };
}
