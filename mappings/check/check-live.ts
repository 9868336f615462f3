/**
 * `sla check --live`: the contract against the CRMs as they are configured today. A rep who left, a
 * renamed picklist value, a deleted field or list breaks handoffs the moment traffic arrives; this
 * finds them first. Every finding names the contract path (and line, with a source map), the CRM
 * object and the value. Pure: the CRM configuration arrives as data (crm-metadata.ts).
 */
import { ACTIVITY_SOURCES, Findings, locateFindings, type Finding, type SourceMap, type Predicate, STAGES, type Contract } from '../contract';
import { HUBSPOT_PROPERTIES, SALESFORCE_LEAD_FIELDS } from '../crm';
import type { CrmMetadata, SalesforceFieldMetadata } from './crm-metadata';

/** Where the bridge's own fields are required: not a contract path, so findings name the bridge. */
const BRIDGE = '(bridge set-up)';

const sameId = (a: string, b: string): boolean => a.slice(0, 15) === b.slice(0, 15);
const sameEmail = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();

function shortList(values: readonly string[]): string {
  return values.length > 12 ? `${values.slice(0, 12).join(', ')}, …` : values.join(', ');
}

/** One missing field is one drift: reported once, where the contract first names it. */
function reportMissing(findings: Findings, refs: ReadonlyArray<{ path: string; name: string }>, exists: (name: string) => boolean, message: (name: string) => string): void {
  const missing = new Map<string, string[]>();
  for (const ref of refs) {
    if (!exists(ref.name)) missing.set(ref.name, [...(missing.get(ref.name) ?? []), ref.path]);
  }
  for (const [name, [path = BRIDGE, ...others]] of missing) {
    const also = others.length > 0 ? `; also named at ${[...new Set(others)].join(', ')}` : '';
    findings.error(path, `${message(name)}${also}`);
  }
}

/** The Salesforce user a rep names: by id, or (no id in the contract) the active user with the rep's email. */
function userOf(rep: Contract['routing']['reps'][number], crm: CrmMetadata): CrmMetadata['salesforce']['users'][number] | undefined {
  if (rep.id !== '') return crm.salesforce.users.find((u) => sameId(u.id, rep.id));
  const byEmail = crm.salesforce.users.filter((u) => sameEmail(u.email, rep.email));
  return byEmail.find((u) => u.active) ?? byEmail[0];
}

/**
 * The contract with every rep named by email only given its Salesforce User Id (the active user with
 * that email), as the worker runs it. Reps it cannot resolve keep '' and are errors in the live check.
 */
export function resolveRepIds(contract: Contract, crm: CrmMetadata): Contract {
  return {
    ...contract,
    routing: {
      ...contract.routing,
      reps: contract.routing.reps.map((rep) => (rep.id !== '' ? rep : { ...rep, id: crm.salesforce.users.find((u) => u.active && sameEmail(u.email, rep.email))?.id ?? '' })),
    },
  };
}

function checkReps(contract: Contract, crm: CrmMetadata, findings: Findings): void {
  contract.routing.reps.forEach((rep, i) => {
    const user = userOf(rep, crm);
    if (rep.id === '' && !user) {
      findings.error(`routing.reps.${i}.email`, `no Salesforce User has the email "${rep.email}" (${rep.name} is named by email only): give the user's id or fix the email`);
    } else if (!user) {
      findings.error(`routing.reps.${i}.id`, `Salesforce User "${rep.id}" (${rep.name}) does not exist in the org: leads assigned to it are refused (INVALID_CROSS_REFERENCE_KEY)`);
    } else if (!user.active) {
      findings.error(`routing.reps.${i}.${rep.id === '' ? 'email' : 'id'}`, `Salesforce User "${user.id}" (${rep.name}) is inactive: leads assigned to it are refused (INACTIVE_OWNER_OR_USER)`);
    } else if (!sameEmail(user.email, rep.email)) {
      findings.warn(`routing.reps.${i}.email`, `Salesforce User "${user.id}" has the email "${user.email}", not "${rep.email}"`);
    }
    const email = user?.email ?? rep.email;
    if (!crm.hubspot.owners.some((o) => sameEmail(o.email, email))) {
      findings.error(`routing.reps.${i}.email`, `no active HubSpot owner has the email "${email}": the connector matches owners by email, so the lead's owner cannot sync to HubSpot`);
    }
    const owner = rep.hubspotOwnerId === undefined ? undefined : crm.hubspot.owners.find((o) => o.id === rep.hubspotOwnerId);
    if (rep.hubspotOwnerId !== undefined && !owner) {
      findings.error(`routing.reps.${i}.hubspotOwnerId`, `no active HubSpot owner has the id "${rep.hubspotOwnerId}" (${rep.name}): a HubSpot team pool would never find them`);
    } else if (owner && !sameEmail(owner.email, email)) {
      findings.warn(`routing.reps.${i}.hubspotOwnerId`, `HubSpot owner "${owner.id}" has the email "${owner.email}", not "${email}"`);
    }
  });
}

function salesforceFieldRefs(contract: Contract): Array<{ path: string; name: string }> {
  const refs: Array<{ path: string; name: string }> = [];
  contract.fieldMappings.forEach((m, i) => refs.push({ path: `fieldMappings.${i}.salesforce`, name: m.salesforce }));
  refs.push({ path: 'feedback.dispositionField', name: contract.feedback.dispositionField });
  refs.push({ path: 'feedback.closedLostReasonField', name: contract.feedback.closedLostReasonField });
  contract.definitions.sal.confirmedBy.forEach((p, i) => refs.push({ path: `definitions.sal.confirmedBy.${i}.property`, name: propertyOf(p) }));
  contract.definitions.sql.signals.forEach((p, i) => refs.push({ path: `definitions.sql.signals.${i}.property`, name: propertyOf(p) }));
  contract.crm.properties.forEach((p, i) => {
    if (p.system === 'salesforce') refs.push({ path: `crm.properties.${i}.name`, name: p.name });
  });
  contract.commitments.forEach((c, i) => {
    for (const end of ['start', 'stop'] as const) {
      const ref = end === 'start' ? c.measure.start : 'stop' in c.measure ? c.measure.stop : undefined;
      if (ref?.system === 'salesforce') refs.push({ path: `commitments.${i}.measure.${end}.field`, name: ref.field });
    }
  });
  for (const field of Object.values(SALESFORCE_LEAD_FIELDS)) refs.push({ path: BRIDGE, name: field });
  // Task fields and other objects are named `Object.Field`: only Lead fields are described here.
  return refs.filter((r) => r.name !== '' && !r.name.includes('.'));
}

function propertyOf(predicate: Predicate): string {
  return predicate.op === 'activity' ? ACTIVITY_SOURCES[predicate.type].lastAt : predicate.property;
}

function predicateValues(predicate: Predicate): string[] {
  if (predicate.op === 'eq' || predicate.op === 'neq') return typeof predicate.value === 'string' ? [predicate.value] : [];
  if (predicate.op === 'in' || predicate.op === 'not_in') return predicate.values.map(String);
  return [];
}

function checkSalesforce(contract: Contract, crm: CrmMetadata, findings: Findings): void {
  const fields = new Map(crm.salesforce.leadFields.map((f) => [f.name.toLowerCase(), f]));
  const field = (name: string): SalesforceFieldMetadata | undefined => fields.get(name.toLowerCase());
  reportMissing(findings, salesforceFieldRefs(contract), (name) => field(name) !== undefined, (name) => `Salesforce Lead has no field "${name}" (deleted, renamed, or not visible to the integration user)`);
  /** A value the org's picklist lacks: an error where Salesforce refuses it, a warning where it only falls outside reports. */
  const picklistValue = (path: string, fieldName: string, value: string, alwaysError = false): void => {
    const f = field(fieldName);
    if (!f || f.type !== 'picklist' || f.picklistValues.includes(value)) return;
    const message = `Salesforce Lead.${f.name} has no picklist value "${value}" (values: ${shortList(f.picklistValues)})`;
    if (alwaysError || f.restrictedPicklist) findings.error(path, message);
    else findings.warn(path, `${message}: saved, but outside the picklist every report groups by`);
  };
  const status = SALESFORCE_LEAD_FIELDS.status;
  for (const stage of STAGES) picklistValue(`statusMapping.${stage}.salesforceStatus`, status, contract.statusMapping[stage].salesforceStatus, true);
  picklistValue('handoff.revert.salesforceStatus', status, contract.handoff.revert.salesforceStatus, true);
  const predicates = [
    ...contract.definitions.sal.confirmedBy.map((p, i) => ({ p, path: `definitions.sal.confirmedBy.${i}` })),
    ...contract.definitions.sql.signals.map((p, i) => ({ p, path: `definitions.sql.signals.${i}` })),
  ];
  for (const { p, path } of predicates) {
    const name = propertyOf(p);
    for (const value of predicateValues(p)) picklistValue(p.op === 'eq' || p.op === 'neq' ? `${path}.value` : `${path}.values`, name, value, name === status);
  }
  contract.fieldMappings.forEach((m, i) => {
    for (const [from, to] of Object.entries(m.valueMap ?? {})) picklistValue(`fieldMappings.${i}.valueMap.${from}`, m.salesforce, to);
  });
  contract.rejectionTaxonomy.forEach((r, i) => picklistValue(`rejectionTaxonomy.${i}.code`, SALESFORCE_LEAD_FIELDS.rejectionReason, r.code));
}

function hubspotPropertyRefs(contract: Contract): Array<{ path: string; name: string }> {
  const { mql } = contract.definitions;
  return [
    ...contract.fieldMappings.map((m, i) => ({ path: `fieldMappings.${i}.hubspot`, name: m.hubspot })),
    ...mql.fit.map((p, i) => ({ path: `definitions.mql.fit.${i}.property`, name: propertyOf(p) })),
    ...mql.engagement.map((p, i) => ({ path: `definitions.mql.engagement.${i}.property`, name: propertyOf(p) })),
    ...contract.connector.inclusion.map((p, i) => ({ path: `connector.inclusion.${i}.property`, name: propertyOf(p) })),
    ...contract.dataCompleteness.requiredProperties.map((name, i) => ({ path: `dataCompleteness.requiredProperties.${i}`, name })),
    ...contract.handoff.alertFacts.map((name, i) => ({ path: `handoff.alertFacts.${i}`, name })),
    ...contract.crm.properties.flatMap((p, i) => (p.system === 'hubspot' ? [{ path: `crm.properties.${i}.name`, name: p.name }] : [])),
    ...Object.values(HUBSPOT_PROPERTIES).map((name) => ({ path: BRIDGE, name })),
  ];
}

function checkHubSpot(contract: Contract, crm: CrmMetadata, findings: Findings): void {
  const properties = new Map(crm.hubspot.contactProperties.map((p) => [p.name, p]));
  reportMissing(findings, hubspotPropertyRefs(contract), (name) => properties.has(name), (name) => `HubSpot contact property "${name}" does not exist in the portal`);
  const option = (path: string, property: string, value: string): void => {
    const p = properties.get(property);
    if (!p || p.type !== 'enumeration' || p.options.includes(value)) return;
    findings.error(path, `HubSpot contact property ${property} has no option "${value}" (options: ${shortList(p.options)}): HubSpot refuses the write (INVALID_OPTION)`);
  };
  const lifecycle = HUBSPOT_PROPERTIES.lifecycleStage;
  const leadStatus = HUBSPOT_PROPERTIES.leadStatus;
  for (const stage of STAGES) {
    const target = contract.statusMapping[stage];
    option(`statusMapping.${stage}.hubspotLifecycle`, lifecycle, target.hubspotLifecycle);
    if (target.hubspotLeadStatus) option(`statusMapping.${stage}.hubspotLeadStatus`, leadStatus, target.hubspotLeadStatus);
  }
  option('handoff.revert.hubspotLifecycle', lifecycle, contract.handoff.revert.hubspotLifecycle);
  option('handoff.revert.hubspotLeadStatus', leadStatus, contract.handoff.revert.hubspotLeadStatus);
  contract.rejectionTaxonomy.forEach((r, i) => option(`rejectionTaxonomy.${i}.hubspotLeadStatus`, leadStatus, r.hubspotLeadStatus));
  contract.fieldMappings.forEach((m, i) => {
    for (const from of Object.keys(m.valueMap ?? {})) option(`fieldMappings.${i}.valueMap.${from}`, m.hubspot, from);
  });
  const lists = new Set(crm.hubspot.existingListIds);
  const list = (path: string, id: string | undefined): void => {
    if (id !== undefined && !lists.has(id)) findings.error(path, `HubSpot list ${id} does not exist: reverted leads could not join their nurture list`);
  };
  list('handoff.revert.nurtureListId', contract.handoff.revert.nurtureListId);
  contract.rejectionTaxonomy.forEach((r, i) => list(`rejectionTaxonomy.${i}.nurtureListId`, r.nurtureListId));
}

export function checkContractAgainstCrm(contract: Contract, crm: CrmMetadata, sourceMap?: SourceMap): Finding[] {
  const findings = new Findings();
  checkReps(contract, crm, findings);
  checkSalesforce(contract, crm, findings);
  checkHubSpot(contract, crm, findings);
  return locateFindings(findings.list, sourceMap);
}
