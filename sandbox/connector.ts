/**
 * The native HubSpot–Salesforce connector, emulated between the two sandboxes: on each cycle (15
 * minutes in production, seconds in tests) or on syncNow(), included contacts without a lead get one
 * (and `salesforceleadid` written back), then every mapped field moves by its sync rule. Like the
 * real connector it never moves a HubSpot lifecycle stage backwards (refused and recorded), lets the
 * latest change win on two-way fields (hence flip-flops), records picklist mismatches as sync errors
 * instead of writing them, and leaves records outside the inclusion list alone.
 */
import { HUBSPOT_PROPERTIES, lifecycleRank, SALESFORCE_LEAD_FIELDS } from '../mappings/crm';
import type { FieldMapping } from '../mappings/contract';
import { systemClock, type Clock } from './clock';
import { salesforceText, toHubSpotValue, toSalesforceValue } from './connector-values';
import { PropertyValidationError, type HubSpotStore, type StoredContact } from './hubspot/contact-store';
import { SalesforceError } from './salesforce/errors';
import type { SalesforceStore, SalesforceStoredRecord } from './salesforce/store';

export interface ConnectorConfig {
  cycleMs: number;
  fieldMappings: FieldMapping[];
  /** The inclusion list: only contacts it accepts are synced. */
  inclusion: (properties: Record<string, string | null>) => boolean;
}

export type SyncErrorCode = 'PICKLIST_UNMAPPED' | 'OWNER_UNMATCHED' | 'LIFECYCLE_REGRESSION' | 'INVALID_VALUE' | 'LEAD_CREATE_FAILED';

export interface SyncError {
  at: number;
  contactId: string;
  leadId?: string;
  field: string;
  code: SyncErrorCode;
  detail: string;
}

export interface SyncWrite {
  at: number;
  direction: 'toSalesforce' | 'toHubSpot';
  contactId: string;
  leadId: string;
  hubspot: string;
  salesforce: string;
  value: string | null;
}

export interface ConnectorStats {
  cycles: number;
  leadsCreated: number;
  toSalesforce: number;
  toHubSpot: number;
  regressionsRefused: number;
  openSyncErrors: number;
}

export interface Connector {
  start(): void;
  stop(): Promise<void>;
  /** Runs a full cycle now (after any cycle in progress) and resolves when it is done. */
  syncNow(): Promise<void>;
  syncErrors(): SyncError[];
  writes(): SyncWrite[];
  stats(): ConnectorStats;
}

export function createConnector(options: { hubspot: HubSpotStore; salesforce: SalesforceStore; config: ConnectorConfig; clock?: Clock }): Connector {
  const { hubspot, salesforce, config } = options;
  const clock = options.clock ?? systemClock;
  const stores = { hubspot, salesforce };
  const errors = new Map<string, SyncError>();
  const log: SyncWrite[] = [];
  const counters = { cycles: 0, leadsCreated: 0, toSalesforce: 0, toHubSpot: 0, regressionsRefused: 0 };
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const fail = (error: Omit<SyncError, 'at'>): void => {
    errors.set(`${error.contactId}:${error.field}`, { ...error, at: clock() });
  };
  const resolved = (contactId: string, field: string): void => {
    errors.delete(`${contactId}:${field}`);
  };
  const propertiesOf = (contact: StoredContact): Record<string, string | null> => Object.fromEntries(contact.values);

  const linkedLead = (contact: StoredContact): SalesforceStoredRecord | undefined => {
    const storedId = contact.values.get(HUBSPOT_PROPERTIES.salesforceLeadId);
    const byStoredId = storedId ? salesforce.find(storedId, 'Lead') : undefined;
    if (byStoredId) return byStoredId;
    const leads = salesforce.list('Lead');
    const email = contact.values.get(HUBSPOT_PROPERTIES.email)?.toLowerCase();
    const match =
      leads.find((l) => l.fields[SALESFORCE_LEAD_FIELDS.hubspotContactId] === contact.id) ??
      (email ? leads.find((l) => l.fields.IsConverted !== true && String(l.fields.Email ?? '').toLowerCase() === email) : undefined);
    if (match) hubspot.update(contact.id, { [HUBSPOT_PROPERTIES.salesforceLeadId]: match.id }, 'SALESFORCE');
    return match;
  };

  const createLead = (contact: StoredContact): SalesforceStoredRecord | undefined => {
    const values: Record<string, unknown> = {};
    for (const mapping of config.fieldMappings) {
      if (mapping.rule === 'none' || mapping.rule === 'always_salesforce') continue;
      const translated = toSalesforceValue(mapping, contact.values.get(mapping.hubspot) ?? null, stores);
      if (translated.ok && translated.value !== null) values[mapping.salesforce] = translated.value;
    }
    // The real connector fills required fields it has no value for.
    values.LastName ??= '[not provided]';
    values.Company ??= '[not provided]';
    try {
      const lead = salesforce.create('Lead', values);
      counters.leadsCreated++;
      hubspot.update(contact.id, { [HUBSPOT_PROPERTIES.salesforceLeadId]: lead.id }, 'SALESFORCE');
      resolved(contact.id, 'Lead');
      return lead;
    } catch (err) {
      if (!(err instanceof SalesforceError)) throw err;
      fail({ contactId: contact.id, field: 'Lead', code: 'LEAD_CREATE_FAILED', detail: err.errorCode });
      return undefined;
    }
  };

  const writeHubSpot = (contact: StoredContact, lead: SalesforceStoredRecord, mapping: FieldMapping): void => {
    const translated = toHubSpotValue(mapping, lead.fields[mapping.salesforce], stores);
    if (!translated.ok) return fail({ contactId: contact.id, leadId: lead.id, field: mapping.hubspot, code: translated.code, detail: translated.detail });
    const current = contact.values.get(mapping.hubspot) ?? null;
    if (translated.value === current) return resolved(contact.id, mapping.hubspot);
    if (mapping.hubspot === HUBSPOT_PROPERTIES.lifecycleStage && current !== null && (translated.value === null || lifecycleRank(translated.value) < lifecycleRank(current))) {
      counters.regressionsRefused++;
      return fail({ contactId: contact.id, leadId: lead.id, field: mapping.hubspot, code: 'LIFECYCLE_REGRESSION', detail: `refused ${current} → ${translated.value ?? '(blank)'}` });
    }
    try {
      hubspot.update(contact.id, { [mapping.hubspot]: translated.value ?? '' }, 'SALESFORCE');
    } catch (err) {
      if (!(err instanceof PropertyValidationError)) throw err;
      return fail({ contactId: contact.id, leadId: lead.id, field: mapping.hubspot, code: 'INVALID_VALUE', detail: err.failures.map((f) => f.error).join(', ') });
    }
    counters.toHubSpot++;
    log.push({ at: clock(), direction: 'toHubSpot', contactId: contact.id, leadId: lead.id, hubspot: mapping.hubspot, salesforce: mapping.salesforce, value: translated.value });
    resolved(contact.id, mapping.hubspot);
  };

  const writeSalesforce = (contact: StoredContact, lead: SalesforceStoredRecord, mapping: FieldMapping): void => {
    const translated = toSalesforceValue(mapping, contact.values.get(mapping.hubspot) ?? null, stores);
    if (!translated.ok) return fail({ contactId: contact.id, leadId: lead.id, field: mapping.salesforce, code: translated.code, detail: translated.detail });
    if (salesforceText(translated.value) === salesforceText(lead.fields[mapping.salesforce])) return resolved(contact.id, mapping.salesforce);
    try {
      salesforce.update('Lead', lead.id, { [mapping.salesforce]: translated.value });
    } catch (err) {
      if (!(err instanceof SalesforceError)) throw err;
      return fail({ contactId: contact.id, leadId: lead.id, field: mapping.salesforce, code: 'INVALID_VALUE', detail: err.errorCode });
    }
    counters.toSalesforce++;
    log.push({ at: clock(), direction: 'toSalesforce', contactId: contact.id, leadId: lead.id, hubspot: mapping.hubspot, salesforce: mapping.salesforce, value: salesforceText(translated.value) });
    resolved(contact.id, mapping.salesforce);
  };

  /** Which way a differing field moves under its rule; undefined when it stays put. */
  const direction = (contact: StoredContact, lead: SalesforceStoredRecord, mapping: FieldMapping): 'toSalesforce' | 'toHubSpot' | undefined => {
    const hubspotValue = contact.values.get(mapping.hubspot) ?? null;
    const salesforceValue = salesforceText(lead.fields[mapping.salesforce]);
    switch (mapping.rule) {
      case 'none':
        return undefined;
      case 'always_salesforce':
        return 'toHubSpot';
      case 'always_hubspot':
        return 'toSalesforce';
      case 'prefer_salesforce_unless_blank':
        return salesforceValue !== null ? 'toHubSpot' : hubspotValue !== null ? 'toSalesforce' : undefined;
      case 'two_way': {
        // Last writer wins; on a tie Salesforce's value stands.
        const hubspotAt = hubspot.changedAt(contact.id, mapping.hubspot) ?? 0;
        const salesforceAt = salesforce.changedAt(lead.id, mapping.salesforce) ?? 0;
        return hubspotAt > salesforceAt ? 'toSalesforce' : 'toHubSpot';
      }
    }
  };

  const syncContact = (contact: StoredContact): void => {
    if (!config.inclusion(propertiesOf(contact))) return;
    const lead = linkedLead(contact) ?? createLead(contact);
    if (!lead) return;
    for (const mapping of config.fieldMappings) {
      const move = direction(contact, lead, mapping);
      if (move === 'toHubSpot') writeHubSpot(contact, lead, mapping);
      else if (move === 'toSalesforce') writeSalesforce(contact, lead, mapping);
    }
  };

  const cycle = async (): Promise<void> => {
    for (const contact of [...hubspot.contacts.values()]) syncContact(contact);
    counters.cycles++;
  };

  const syncNow = (): Promise<void> => {
    running = running.then(cycle, cycle);
    return running;
  };

  const schedule = (): void => {
    timer = setTimeout(() => {
      void syncNow().finally(() => {
        if (timer !== undefined) schedule();
      });
    }, config.cycleMs);
  };

  return {
    start() {
      if (timer === undefined) schedule();
    },
    async stop() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      await running.catch(() => undefined);
    },
    syncNow,
    syncErrors: () => [...errors.values()],
    writes: () => [...log],
    stats: () => ({ ...counters, openSyncErrors: errors.size }),
  };
}
