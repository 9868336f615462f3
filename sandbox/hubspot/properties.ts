/**
 * The contact properties the sandbox portal knows: HubSpot's standard ones the bridge touches, every
 * "became a … date" stamp, and the bridge's custom properties. Writing any other name is a
 * VALIDATION_ERROR (PROPERTY_DOESNT_EXIST), as in a real portal.
 */
import { HUBSPOT_LEAD_STATUSES, HUBSPOT_LIFECYCLE_STAGES, HUBSPOT_PROPERTIES } from '../../mappings/crm';

export type HubSpotPropertyType = 'string' | 'number' | 'datetime' | 'enumeration';

export interface HubSpotPropertyDefinition {
  name: string;
  type: HubSpotPropertyType;
  options?: readonly string[];
  /** HubSpot computes these; API writes are refused (READ_ONLY_VALUE). */
  readOnly?: boolean;
}

const computed = ['hs_object_id', 'createdate', 'lastmodifieddate', 'hs_lastmodifieddate'];
const numbers = [HUBSPOT_PROPERTIES.employees, HUBSPOT_PROPERTIES.score];
const datetimes = [
  ...HUBSPOT_LIFECYCLE_STAGES.map((stage) => `hs_lifecyclestage_${stage}_date`),
  HUBSPOT_PROPERTIES.handoffAssignedAt,
  HUBSPOT_PROPERTIES.handoffAlertedAt,
  HUBSPOT_PROPERTIES.handoffSlaDeadline,
  HUBSPOT_PROPERTIES.handoffAcceptedAt,
  HUBSPOT_PROPERTIES.handoffFirstAttemptAt,
  HUBSPOT_PROPERTIES.handoffOutcomeAt,
];
const enumerations: Record<string, readonly string[]> = {
  [HUBSPOT_PROPERTIES.lifecycleStage]: HUBSPOT_LIFECYCLE_STAGES,
  [HUBSPOT_PROPERTIES.leadStatus]: HUBSPOT_LEAD_STATUSES,
};

export function defaultContactProperties(): Map<string, HubSpotPropertyDefinition> {
  const definitions = new Map<string, HubSpotPropertyDefinition>();
  for (const name of Object.values(HUBSPOT_PROPERTIES)) definitions.set(name, { name, type: 'string' });
  for (const name of ['phone', 'website', 'city', 'state', 'hs_analytics_source_data_1', 'hs_persona']) {
    definitions.set(name, { name, type: 'string' });
  }
  for (const name of numbers) definitions.set(name, { name, type: 'number' });
  for (const name of datetimes) definitions.set(name, { name, type: 'datetime' });
  for (const [name, options] of Object.entries(enumerations)) definitions.set(name, { name, type: 'enumeration', options });
  for (const name of computed) definitions.set(name, { name, type: name === 'hs_object_id' ? 'number' : 'datetime', readOnly: true });
  return definitions;
}
