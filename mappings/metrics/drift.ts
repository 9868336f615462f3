/**
 * Drift between HubSpot and Salesforce, classified against the contract: pure functions over
 * snapshots both systems were paged into. Each item names the records involved (ids only, never
 * emails), why it is drift and, when the contract and the bridge's own stamps say which side is
 * right, the repair that would fix it. Whether a repair runs is the repair policy's decision.
 */
import { z } from 'zod';
import { CONNECTOR_SOURCE_TYPE, HUBSPOT_PROPERTIES as HS, SALESFORCE_LEAD_FIELDS as SF } from '../crm';
import { evaluateDefinition, evaluatePredicate, parseInstant, STAGES, type Contract, type Stage } from '../contract';

export const DRIFT_CLASSES = [
  'status_mismatch',
  'owner_mismatch',
  'stranded_mql',
  'orphan_salesforce_lead',
  'duplicate_salesforce_leads',
  'flip_flop',
  'stuck_handoff',
  'disqualified_still_mql',
] as const;
export type DriftClass = (typeof DRIFT_CLASSES)[number];

export const DRIFT_CLASS_INFO: Record<DriftClass, { label: string; meaning: string; repairable: boolean }> = {
  status_mismatch: { label: 'Lifecycle vs status mismatch', meaning: 'HubSpot lifecycle/lead status and Salesforce Lead.Status fit no single stage of the status mapping', repairable: true },
  owner_mismatch: { label: 'Owner mismatch', meaning: 'HubSpot owner and Salesforce owner are different people (compared by email)', repairable: true },
  stranded_mql: { label: 'Stranded MQL', meaning: 'an MQL with no handoff: never assigned, no open handoff workflow', repairable: true },
  orphan_salesforce_lead: { label: 'Salesforce lead without contact', meaning: 'an open Salesforce lead no HubSpot contact links to (by lead id, HubSpot id or email)', repairable: false },
  duplicate_salesforce_leads: { label: 'Duplicate Salesforce leads', meaning: 'several open Salesforce leads share one email', repairable: false },
  flip_flop: { label: 'Flip-flopping value', meaning: 'a two-way synced property keeps returning to an earlier value, alternately written by the connector and by people', repairable: false },
  stuck_handoff: { label: 'Handoff stuck past deadline', meaning: 'a running handoff still awaiting acceptance after its SLA deadline', repairable: false },
  disqualified_still_mql: { label: 'Disqualified lead still MQL', meaning: 'a lead closed in the handoff or in Salesforce whose HubSpot lifecycle stayed at MQL (the lifecycle high-water mark)', repairable: true },
};

export type StrandedReason = 'duplicate' | 'outside_inclusion' | 'sync_error' | 'definition_not_met' | 'unknown';

export type RepairAction =
  | { kind: 'hubspot_lifecycle'; contactId: string; stage: string; leadStatus?: string }
  | { kind: 'hubspot_properties'; contactId: string; properties: Record<string, string> }
  | { kind: 'salesforce_fields'; leadId: string; fields: Record<string, string | null> }
  | { kind: 'start_handoff'; contactId: string };

export interface DriftItem {
  /** Stable across runs: the same drift found again has the same key. */
  key: string;
  class: DriftClass;
  contactId?: string;
  leadIds?: string[];
  detail: string;
  reason?: StrandedReason;
  /** What would fix it; absent when nothing can be repaired automatically (`repairNote` says why). */
  repair?: RepairAction[];
  repairNote?: string;
}

export type SnapshotValue = string | number | boolean | null;
export interface ContactSnapshot {
  id: string;
  properties: Record<string, string | null>;
}
export interface LeadSnapshot {
  id: string;
  fields: Record<string, SnapshotValue>;
}
export interface PropertyVersion {
  value: string;
  timestamp: string;
  sourceType: string;
}
export interface ContactHistory {
  contactId: string;
  /** Each property's versions as HubSpot lists them: newest first. */
  properties: Record<string, PropertyVersion[]>;
}
export interface OpenHandoff {
  workflowId: string;
  contactId: string;
  slaDeadline?: string;
}
export interface Person {
  id: string;
  email: string;
}

export interface DriftInputs {
  contract: Contract;
  now: Date;
  contacts: ContactSnapshot[];
  leads: LeadSnapshot[];
  owners: Person[];
  users: Person[];
  histories: ContactHistory[];
  /** Running handoff workflows of this portal. */
  openHandoffs: OpenHandoff[];
  /** Running handoffs awaiting acceptance past their deadline (the visibility query). */
  stuckHandoffs: OpenHandoff[];
  /** How far back a flip-flop counts. */
  flipFlopWindowDays: number;
}

// ---- repair policy ----

export type RepairMode = 'report' | 'repair';
export type RepairPolicy = Record<DriftClass, RepairMode>;

export const REPAIRABLE_CLASSES = DRIFT_CLASSES.filter((c) => DRIFT_CLASS_INFO[c].repairable);

const repairListSchema = z
  .array(z.enum(DRIFT_CLASSES, { error: (issue) => `unknown drift class ${JSON.stringify(issue.input)}: use ${DRIFT_CLASSES.join(', ')}` }))
  .superRefine((classes, ctx) => {
    for (const c of classes) {
      if (!DRIFT_CLASS_INFO[c].repairable) ctx.addIssue({ code: 'custom', message: `${c} cannot be repaired automatically: report only` });
    }
  });

/**
 * The policy from a comma list of the classes to repair (`RECONCILE_REPAIR`): every other class is
 * reported only. Unset means every repairable class; `none` means report only.
 */
export function parseRepairPolicy(spec: string | undefined): RepairPolicy {
  const trimmed = spec?.trim();
  const list = trimmed === undefined || trimmed === '' ? [...REPAIRABLE_CLASSES] : trimmed === 'none' ? [] : trimmed.split(',').map((s) => s.trim()).filter(Boolean);
  const parsed = repairListSchema.safeParse(list);
  if (!parsed.success) throw new RangeError(`repair policy: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  const repair = new Set<DriftClass>(parsed.data);
  return Object.fromEntries(DRIFT_CLASSES.map((c) => [c, repair.has(c) ? 'repair' : 'report'])) as RepairPolicy;
}

// ---- stages as each system shows them ----

function text(value: SnapshotValue | undefined): string | null {
  if (value === null || value === undefined) return null;
  const s = String(value).trim();
  return s === '' ? null : s;
}

/** Stages whose HubSpot side fits the contact (lead status ignored when it fits none). */
function hubspotStages(contract: Contract, lifecycle: string, leadStatus: string | null): Stage[] {
  const byLifecycle = STAGES.filter((s) => contract.statusMapping[s].hubspotLifecycle === lifecycle);
  const exact = byLifecycle.filter((s) => {
    const wanted = contract.statusMapping[s].hubspotLeadStatus;
    return wanted === undefined || leadStatus === null || wanted === leadStatus;
  });
  return exact.length ? exact : byLifecycle;
}

function salesforceStages(contract: Contract, status: string): Stage[] {
  return STAGES.filter((s) => contract.statusMapping[s].salesforceStatus === status);
}

const OUTCOME_STAGE: Record<string, Stage> = {
  DISQUALIFIED: 'Disqualified',
  REVERTED_SLA_MISSED: 'Nurture',
  REVERTED_REJECTED: 'Nurture',
  CONVERTED: 'Opportunity',
  WON: 'Customer',
  RETURNED_INCOMPLETE: 'ReturnedToMarketing',
};

function instant(value: string | null | undefined): number | undefined {
  return value ? parseInstant(value) : undefined;
}

/** Did this stamp happen in the current MQL episode (at or after the MQL date)? */
function inEpisode(props: Record<string, string | null>, stamp: string): boolean {
  const at = instant(props[stamp]);
  if (at === undefined) return false;
  const mqlAt = instant(props[HS.mqlDate]);
  return mqlAt === undefined || at >= mqlAt;
}

/** The stage the bridge's own stamps record for this episode: which side is right when they disagree. */
export function recordedStage(props: Record<string, string | null>): Stage | undefined {
  const outcome = props[HS.handoffOutcome];
  if (outcome && inEpisode(props, HS.handoffOutcomeAt) && OUTCOME_STAGE[outcome]) return OUTCOME_STAGE[outcome];
  if (inEpisode(props, HS.handoffAcceptedAt)) return 'SAL';
  if (inEpisode(props, HS.handoffAssignedAt)) return 'AwaitingAcceptance';
  return undefined;
}

// ---- pairing ----

export interface Pair {
  contact: ContactSnapshot;
  lead?: LeadSnapshot;
}

function lowerEmail(value: SnapshotValue | undefined): string | null {
  return text(value)?.toLowerCase() ?? null;
}

function isOpenLead(lead: LeadSnapshot): boolean {
  return lead.fields[SF.isConverted] !== true;
}

/**
 * Each contact's Salesforce lead, as the connector links them: the lead id written back to HubSpot,
 * then the HubSpot-id external field, then a unique open lead with the same email.
 */
export function pairContacts(contacts: ContactSnapshot[], leads: LeadSnapshot[]): { pairs: Pair[]; linkedLeadIds: Set<string>; openLeadsByEmail: Map<string, LeadSnapshot[]> } {
  const byId = new Map(leads.map((l) => [l.id, l]));
  const byExternalId = new Map<string, LeadSnapshot>();
  const openLeadsByEmail = new Map<string, LeadSnapshot[]>();
  for (const lead of leads) {
    const external = text(lead.fields[SF.hubspotContactId]);
    if (external) byExternalId.set(external, lead);
    const email = lowerEmail(lead.fields[SF.email]);
    if (email && isOpenLead(lead)) openLeadsByEmail.set(email, [...(openLeadsByEmail.get(email) ?? []), lead]);
  }
  const linkedLeadIds = new Set<string>();
  const pairs = contacts.map((contact): Pair => {
    const storedId = contact.properties[HS.salesforceLeadId];
    const email = lowerEmail(contact.properties[HS.email]);
    const byEmail = email ? openLeadsByEmail.get(email) : undefined;
    const lead = (storedId ? byId.get(storedId) : undefined) ?? byExternalId.get(contact.id) ?? (byEmail?.length === 1 ? byEmail[0] : undefined);
    if (lead) linkedLeadIds.add(lead.id);
    return lead ? { contact, lead } : { contact };
  });
  for (const contact of contacts) {
    const email = lowerEmail(contact.properties[HS.email]);
    for (const lead of email ? (openLeadsByEmail.get(email) ?? []) : []) linkedLeadIds.add(lead.id);
  }
  return { pairs, linkedLeadIds, openLeadsByEmail };
}

// ---- the classes ----

function statusItem(contract: Contract, pair: Required<Pair>): DriftItem | undefined {
  const props = pair.contact.properties;
  const lifecycle = props[HS.lifecycleStage];
  const status = text(pair.lead.fields[SF.status]);
  if (!lifecycle || !status) return undefined;
  const onHubSpot = hubspotStages(contract, lifecycle, props[HS.leadStatus] ?? null);
  if (!onHubSpot.length) return undefined;
  const onSalesforce = new Set(salesforceStages(contract, status));
  if (onHubSpot.some((s) => onSalesforce.has(s))) return undefined;
  const item: DriftItem = {
    key: `status_mismatch:${pair.contact.id}`,
    class: 'status_mismatch',
    contactId: pair.contact.id,
    leadIds: [pair.lead.id],
    detail: `HubSpot ${lifecycle}/${props[HS.leadStatus] ?? '—'} (${onHubSpot.join(' or ')}) vs Salesforce "${status}" (${[...onSalesforce].join(' or ') || 'no stage'})`,
  };
  const truth = recordedStage(props);
  if (!truth) return { ...item, repairNote: 'no handoff record says which system is right: fix by hand' };
  const target = contract.statusMapping[truth];
  const repair: RepairAction[] = [];
  const hubspotFits = target.hubspotLifecycle === lifecycle && (target.hubspotLeadStatus === undefined || target.hubspotLeadStatus === props[HS.leadStatus]);
  if (!hubspotFits) repair.push({ kind: 'hubspot_lifecycle', contactId: pair.contact.id, stage: target.hubspotLifecycle, ...(target.hubspotLeadStatus ? { leadStatus: target.hubspotLeadStatus } : {}) });
  if (target.salesforceStatus !== status) {
    if (!isOpenLead(pair.lead)) return { ...item, repairNote: `the handoff recorded ${truth} but the Salesforce lead is converted (frozen): fix by hand` };
    repair.push({ kind: 'salesforce_fields', leadId: pair.lead.id, fields: { [SF.status]: target.salesforceStatus } });
  }
  return { ...item, detail: `${item.detail}; the handoff recorded ${truth}`, repair };
}

function ownerItem(pair: Required<Pair>, owners: Map<string, string>, users: Map<string, string>, ownerByEmail: Map<string, string>): DriftItem | undefined {
  const hubspotOwner = pair.contact.properties[HS.ownerId];
  const salesforceOwner = text(pair.lead.fields[SF.ownerId]);
  if (!hubspotOwner || !salesforceOwner) return undefined;
  const hubspotEmail = owners.get(hubspotOwner);
  const salesforceEmail = users.get(salesforceOwner);
  if (!hubspotEmail || !salesforceEmail || hubspotEmail === salesforceEmail) return undefined;
  const item: DriftItem = {
    key: `owner_mismatch:${pair.contact.id}`,
    class: 'owner_mismatch',
    contactId: pair.contact.id,
    leadIds: [pair.lead.id],
    detail: `HubSpot owner ${hubspotOwner} vs Salesforce owner ${salesforceOwner}`,
  };
  const match = ownerByEmail.get(salesforceEmail);
  // Sales assigns in Salesforce (the bridge routes there): HubSpot follows the Salesforce owner.
  return match
    ? { ...item, repair: [{ kind: 'hubspot_properties', contactId: pair.contact.id, properties: { [HS.ownerId]: match } }] }
    : { ...item, repairNote: `Salesforce owner ${salesforceOwner} has no HubSpot user with the same email` };
}

function closedStage(contract: Contract, pair: Pair): Stage | undefined {
  const props = pair.contact.properties;
  const truth = recordedStage(props);
  if (truth === 'Disqualified' || truth === 'Nurture') return truth;
  if (truth) return undefined;
  const reason = text(pair.lead?.fields[SF.rejectionReason]);
  const status = text(pair.lead?.fields[SF.status]);
  const closedStatuses = new Set([contract.statusMapping.Disqualified.salesforceStatus, contract.statusMapping.Nurture.salesforceStatus]);
  if (status && closedStatuses.has(status) && pair.lead && isOpenLead(pair.lead)) {
    const entry = contract.rejectionTaxonomy.find((r) => r.code === reason);
    return entry && !entry.recyclable ? 'Disqualified' : 'Nurture';
  }
  if (props[HS.leadStatus] && props[HS.leadStatus] === contract.statusMapping.Disqualified.hubspotLeadStatus) return 'Disqualified';
  return undefined;
}

function disqualifiedItem(contract: Contract, pair: Pair): DriftItem | undefined {
  const props = pair.contact.properties;
  if (props[HS.lifecycleStage] !== contract.statusMapping.MQL.hubspotLifecycle) return undefined;
  const stage = closedStage(contract, pair);
  if (!stage) return undefined;
  const target = contract.statusMapping[stage];
  if (target.hubspotLifecycle === contract.statusMapping.MQL.hubspotLifecycle) return undefined;
  const repair: RepairAction[] = [
    { kind: 'hubspot_lifecycle', contactId: pair.contact.id, stage: target.hubspotLifecycle, ...(target.hubspotLeadStatus ? { leadStatus: target.hubspotLeadStatus } : {}) },
  ];
  const status = text(pair.lead?.fields[SF.status]);
  if (pair.lead && isOpenLead(pair.lead) && status !== target.salesforceStatus) {
    repair.push({ kind: 'salesforce_fields', leadId: pair.lead.id, fields: { [SF.status]: target.salesforceStatus } });
  }
  return {
    key: `disqualified_still_mql:${pair.contact.id}`,
    class: 'disqualified_still_mql',
    contactId: pair.contact.id,
    ...(pair.lead ? { leadIds: [pair.lead.id] } : {}),
    detail: `closed as ${stage} but HubSpot lifecycle is still ${props[HS.lifecycleStage] ?? '—'}`,
    repair,
  };
}

interface StrandedContext {
  contract: Contract;
  now: Date;
  open: Set<string>;
  contactsPerEmail: Map<string, number>;
  openLeadsByEmail: Map<string, LeadSnapshot[]>;
}

function strandedItem(ctx: StrandedContext, pair: Pair): DriftItem | undefined {
  const { contract, now } = ctx;
  const props = pair.contact.properties;
  if (props[HS.lifecycleStage] !== contract.statusMapping.MQL.hubspotLifecycle) return undefined;
  const mqlAt = instant(props[HS.mqlDate]);
  // Give a fresh MQL the time a handoff legitimately needs before its first stamp: the connector's
  // grace period and one more sync cycle.
  const graceMs = (contract.handoff.syncGraceMinutes + 2 * contract.connector.cycleMinutes) * 60_000;
  if (mqlAt === undefined || now.getTime() - mqlAt < graceMs) return undefined;
  if (recordedStage(props) || ctx.open.has(pair.contact.id)) return undefined;
  const email = lowerEmail(props[HS.email]);
  const base = { key: `stranded_mql:${pair.contact.id}`, class: 'stranded_mql' as const, contactId: pair.contact.id, ...(pair.lead ? { leadIds: [pair.lead.id] } : {}) };
  const start: RepairAction[] = [{ kind: 'start_handoff', contactId: pair.contact.id }];
  if (email && ((ctx.contactsPerEmail.get(email) ?? 0) > 1 || (ctx.openLeadsByEmail.get(email)?.length ?? 0) > 1)) {
    return { ...base, reason: 'duplicate', detail: 'MQL never handed off: its email belongs to more than one contact or open lead', repairNote: 'merge the duplicates first' };
  }
  const unmet = contract.connector.inclusion.filter((p) => !evaluatePredicate(p, props, now));
  if (unmet.length) {
    const names = unmet.map((p) => ('property' in p ? p.property : p.type)).join(', ');
    return { ...base, reason: 'outside_inclusion', detail: `MQL never handed off: outside the connector's inclusion list (${names})`, repair: start };
  }
  const definition = evaluateDefinition(contract.definitions.mql, props, now);
  if (!definition.met) {
    return { ...base, reason: 'definition_not_met', detail: `MQL lifecycle without meeting the MQL definition (${definition.unmet.join('; ')})`, repairNote: 'a handoff would end as not qualified: fix the lifecycle or the definition' };
  }
  if (!pair.lead) {
    return { ...base, reason: 'sync_error', detail: 'MQL never handed off: included in the connector, yet no Salesforce lead exists (a sync error)', repair: start };
  }
  return { ...base, reason: 'unknown', detail: 'MQL never handed off (missed webhook, sweep not running?)', repair: start };
}

/**
 * A property's versions, oldest first. HubSpot lists them newest first, and writes within one
 * millisecond share a timestamp: among those the listing's order is the only order there is.
 */
function oldestFirst(versions: readonly PropertyVersion[]): PropertyVersion[] {
  return versions
    .map((version, listed) => ({ version, at: instant(version.timestamp) ?? 0, listed }))
    .sort((a, b) => a.at - b.at || b.listed - a.listed)
    .map((v) => v.version);
}

/** A two-way property that returned to an earlier value, with the connector on one side of the swing. */
function flipFlopItems(contract: Contract, histories: ContactHistory[], now: Date, windowDays: number): DriftItem[] {
  const twoWay = new Set(contract.fieldMappings.filter((m) => m.rule === 'two_way').map((m) => m.hubspot));
  const since = now.getTime() - windowDays * 86_400_000;
  const items: DriftItem[] = [];
  for (const history of histories) {
    for (const [property, versions] of Object.entries(history.properties)) {
      if (!twoWay.has(property)) continue;
      const recent = oldestFirst(versions).filter((v) => (instant(v.timestamp) ?? 0) >= since);
      let reversions = 0;
      for (let i = 2; i < recent.length; i++) {
        const [a, b, c] = [recent[i - 2], recent[i - 1], recent[i]];
        if (!a || !b || !c || c.value !== a.value || b.value === a.value) continue;
        if ([a, b, c].some((v) => v.sourceType === CONNECTOR_SOURCE_TYPE) && [a, b, c].some((v) => v.sourceType !== CONNECTOR_SOURCE_TYPE)) reversions++;
      }
      if (reversions === 0) continue;
      const mapping = contract.fieldMappings.find((m) => m.hubspot === property);
      items.push({
        key: `flip_flop:${history.contactId}:${property}`,
        class: 'flip_flop',
        contactId: history.contactId,
        detail: `${property} ↔ ${mapping?.salesforce ?? '?'} swung back ${reversions} time(s) in ${windowDays} days between the connector and edits in one system`,
        repairNote: 'decide which system owns the field and make its sync rule one-way',
      });
    }
  }
  return items;
}

export function classifyDrift(inputs: DriftInputs): DriftItem[] {
  const { contract, now } = inputs;
  const { pairs, linkedLeadIds, openLeadsByEmail } = pairContacts(inputs.contacts, inputs.leads);
  const owners = new Map(inputs.owners.map((o) => [o.id, o.email.toLowerCase()]));
  const users = new Map(inputs.users.map((u) => [u.id, u.email.toLowerCase()]));
  const ownerByEmail = new Map(inputs.owners.map((o) => [o.email.toLowerCase(), o.id]));
  const contactsPerEmail = new Map<string, number>();
  for (const c of inputs.contacts) {
    const email = lowerEmail(c.properties[HS.email]);
    if (email) contactsPerEmail.set(email, (contactsPerEmail.get(email) ?? 0) + 1);
  }
  const stranded: StrandedContext = { contract, now, open: new Set(inputs.openHandoffs.map((h) => h.contactId)), contactsPerEmail, openLeadsByEmail };

  const items: DriftItem[] = [];
  for (const pair of pairs) {
    const disqualified = disqualifiedItem(contract, pair);
    if (disqualified) items.push(disqualified);
    else {
      const strandedMql = strandedItem(stranded, pair);
      if (strandedMql) items.push(strandedMql);
      if (pair.lead) {
        const status = statusItem(contract, { contact: pair.contact, lead: pair.lead });
        if (status) items.push(status);
      }
    }
    if (pair.lead) {
      const owner = ownerItem({ contact: pair.contact, lead: pair.lead }, owners, users, ownerByEmail);
      if (owner) items.push(owner);
    }
  }
  for (const lead of inputs.leads) {
    if (!isOpenLead(lead) || linkedLeadIds.has(lead.id)) continue;
    items.push({ key: `orphan_salesforce_lead:${lead.id}`, class: 'orphan_salesforce_lead', leadIds: [lead.id], detail: 'open Salesforce lead with no HubSpot contact', repairNote: 'create or link the contact in HubSpot, or close the lead' });
  }
  for (const group of openLeadsByEmail.values()) {
    if (group.length < 2) continue;
    const ids = group.map((l) => l.id).sort();
    items.push({ key: `duplicate_salesforce_leads:${ids.join(',')}`, class: 'duplicate_salesforce_leads', leadIds: ids, detail: `${ids.length} open Salesforce leads share one email`, repairNote: 'merge them in Salesforce (merging keeps activity history)' });
  }
  items.push(...flipFlopItems(contract, inputs.histories, now, inputs.flipFlopWindowDays));
  for (const stuck of inputs.stuckHandoffs) {
    items.push({
      key: `stuck_handoff:${stuck.workflowId}`,
      class: 'stuck_handoff',
      contactId: stuck.contactId,
      detail: `handoff ${stuck.workflowId} awaits acceptance past its deadline ${stuck.slaDeadline ?? '?'}`,
      repairNote: 'the handoff should have reassigned or reverted: check that the worker runs and open the workflow in the Temporal UI',
    });
  }
  return items.sort((a, b) => a.key.localeCompare(b.key));
}

/** Counts per class, every class present (zero included), for history-sized summaries. */
export function countByClass(items: Array<{ class: DriftClass }>): Record<DriftClass, number> {
  const counts = Object.fromEntries(DRIFT_CLASSES.map((c) => [c, 0])) as Record<DriftClass, number>;
  for (const item of items) counts[item.class] += 1;
  return counts;
}
