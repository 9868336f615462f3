/**
 * Salesforce's maximum lengths for the Lead text fields the bridge copies from HubSpot (HubSpot text
 * properties hold up to 65,536 characters). A longer value is refused with STRING_TOO_LONG and the
 * whole write with it, so the bridge cuts text to fit and says so on the lead's timeline. An email
 * is never cut (a shortened address is a wrong address): one too long is left out, also said.
 */
import { SALESFORCE_LEAD_FIELDS as SF } from './crm-fields';

export const SALESFORCE_LEAD_FIELD_LENGTHS: Readonly<Record<string, number>> = {
  [SF.firstName]: 40,
  [SF.lastName]: 80,
  [SF.company]: 255,
  [SF.email]: 80,
  [SF.title]: 128,
  [SF.country]: 80,
  Phone: 40,
};

export interface FittedFields {
  fields: Record<string, string | null>;
  /** One line per changed field, for the timeline: names and lengths, never the values. */
  notes: string[];
}

export function fitLeadFieldLengths(fields: Readonly<Record<string, string | null>>): FittedFields {
  const fitted: Record<string, string | null> = {};
  const notes: string[] = [];
  for (const [name, value] of Object.entries(fields)) {
    const max = SALESFORCE_LEAD_FIELD_LENGTHS[name];
    if (value === null || max === undefined || value.length <= max) {
      fitted[name] = value;
    } else if (name === SF.email) {
      notes.push(`${name} not copied to Salesforce: ${value.length} characters, Salesforce allows ${max}`);
    } else {
      fitted[name] = value.slice(0, max);
      notes.push(`${name} cut to ${max} characters for Salesforce (HubSpot has ${value.length})`);
    }
  }
  return { fields: fitted, notes };
}
