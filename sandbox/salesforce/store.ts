/**
 * The sandbox org's records with Salesforce's semantics: field-level validation, required fields,
 * unique external ids, SystemModstamp/LastModifiedDate maintained on every write, per-field change
 * times (what the connector's last-writer-wins compares), converted leads frozen, and lead
 * conversion creating an Account, a Contact and an Opportunity.
 */
import { systemClock, type Clock } from '../clock';
import { toSalesforceDateTime } from './datetime';
import { SalesforceError } from './errors';
import { normalizeFieldValue, type SalesforceValue } from './field-values';
import { caseSafeSuffix, recordId, sameRecordId } from './ids';
import { CONVERTED_LEAD_STATUSES, fieldOf, KEY_PREFIXES, SOBJECT_FIELDS, SOBJECT_TYPES, type SObjectType } from './schema';

export interface SalesforceStoredRecord {
  type: SObjectType;
  id: string;
  fields: Record<string, SalesforceValue>;
  /** When each field last changed (epoch ms). */
  fieldModifiedAt: Record<string, number>;
}

/** Everything a restart must keep (the snapshot file holds this); API usage is deliberately not kept. */
export interface SalesforceStoreState {
  records: SalesforceStoredRecord[];
  sequence: number;
}

const NAMED_TYPES: readonly SObjectType[] = ['Lead', 'User', 'Contact'];

export class SalesforceStore {
  readonly records = new Map<string, SalesforceStoredRecord>();
  private sequence = 1;
  readonly apiUserId: string;

  constructor(private readonly clock: Clock = systemClock) {
    this.apiUserId = this.insert('User', {
      Username: 'integration@handoff-bridge.sandbox',
      Email: 'integration@handoff-bridge.sandbox',
      FirstName: 'Integration',
      LastName: 'User',
      Alias: 'integ',
      TimeZoneSidKey: 'America/Los_Angeles',
    }).id;
  }

  /** A record by 15- or 18-character id, optionally of one type. */
  find(id: string, type?: SObjectType): SalesforceStoredRecord | undefined {
    const exact = this.records.get(id);
    const record = exact ?? (id.length === 15 ? [...this.records.values()].find((r) => sameRecordId(r.id, id)) : undefined);
    return record && (!type || record.type === type) ? record : undefined;
  }

  list(type: SObjectType): SalesforceStoredRecord[] {
    return [...this.records.values()].filter((r) => r.type === type);
  }

  create(type: SObjectType, input: Record<string, unknown>, actorId = this.apiUserId): SalesforceStoredRecord {
    const values = this.checkWrite(type, input, 'create', undefined);
    const defaults = SOBJECT_FIELDS[type].filter((f) => f.defaultValue !== undefined && !(f.name in values));
    for (const field of defaults) values[field.name] = field.defaultValue ?? null;
    if (SOBJECT_FIELDS[type].some((f) => f.name === 'OwnerId') && values.OwnerId === undefined) {
      values.OwnerId = actorId;
    }
    const missing = SOBJECT_FIELDS[type].filter((f) => f.required && (values[f.name] === undefined || values[f.name] === null)).map((f) => f.name);
    if (missing.length > 0) throw new SalesforceError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing);
    return this.insert(type, values, actorId);
  }

  /**
   * Creates a record with an id chosen by the caller (15 or 18 characters, the type's key prefix):
   * how the sandbox org holds the users a contract names by id. Admin seeding only, not on the wire.
   */
  createWithId(type: SObjectType, id: string, input: Record<string, unknown>): SalesforceStoredRecord {
    const id15 = id.slice(0, 15);
    if (!new RegExp(`^${KEY_PREFIXES[type]}[0-9A-Za-z]{12}$`).test(id15)) throw new Error(`"${id}" is not a ${type} id`);
    const id18 = id15 + caseSafeSuffix(id15);
    if (id.length === 18 && id !== id18) throw new Error(`"${id}" has the wrong case-safe suffix (expected ${id18})`);
    if (this.find(id15)) throw new Error(`a record with id ${id18} exists already`);
    const values = this.checkWrite(type, input, 'create', undefined);
    for (const field of SOBJECT_FIELDS[type].filter((f) => f.defaultValue !== undefined && !(f.name in values))) values[field.name] = field.defaultValue ?? null;
    return this.insert(type, values, this.apiUserId, id18);
  }

  update(type: SObjectType, id: string, input: Record<string, unknown>, actorId = this.apiUserId): SalesforceStoredRecord {
    const record = this.find(id, type);
    if (!record) throw new SalesforceError('NOT_FOUND', 'The requested resource does not exist', [], 404);
    if (type === 'Lead' && record.fields.IsConverted === true) {
      throw new SalesforceError('CANNOT_UPDATE_CONVERTED_LEAD', 'cannot reference converted lead', ['Id']);
    }
    const values = this.checkWrite(type, input, 'update', record.id);
    this.write(record, values, actorId);
    return record;
  }

  /** Upsert by an external-id field: 0 matches creates, 1 updates, more is MULTIPLE_CHOICES (300). */
  upsert(type: SObjectType, externalField: string, externalValue: string, input: Record<string, unknown>): { record: SalesforceStoredRecord; created: boolean } {
    const field = fieldOf(type, externalField);
    if (!field?.externalId) throw new SalesforceError('INVALID_FIELD', `Provided external ID field does not exist or is not accessible: ${externalField}`, [externalField], 404);
    const matches = this.list(type).filter((r) => r.fields[field.name] === externalValue);
    if (matches.length > 1) throw new SalesforceError('MULTIPLE_CHOICES', 'More than one record found for external id field', [field.name], 300);
    const { [field.name]: _ignored, ...rest } = Object.fromEntries(Object.entries(input).map(([k, v]) => [fieldOf(type, k)?.name ?? k, v]));
    const existing = matches[0];
    if (existing) return { record: this.update(type, existing.id, rest), created: false };
    return { record: this.create(type, { ...rest, [field.name]: externalValue }), created: true };
  }

  /** Runs `fn`; if it throws, every record is put back as it was (allOrNone). */
  transaction<T>(fn: () => T): T {
    const saved = new Map([...this.records].map(([id, r]) => [id, { ...r, fields: { ...r.fields }, fieldModifiedAt: { ...r.fieldModifiedAt } }]));
    const savedSequence = this.sequence;
    try {
      return fn();
    } catch (err) {
      this.records.clear();
      for (const [id, r] of saved) this.records.set(id, r);
      this.sequence = savedSequence;
      throw err;
    }
  }

  changedAt(id: string, field: string): number | undefined {
    return this.find(id)?.fieldModifiedAt[field];
  }

  exportState(): SalesforceStoreState {
    return structuredClone({ records: [...this.records.values()], sequence: this.sequence });
  }

  /**
   * Replaces every record and the id sequence with a saved state. The integration user is created
   * first in every store, so it has the same id in the saved state; a state without it would leave
   * the OAuth endpoint issuing sessions for a user that does not exist, hence the refusal.
   */
  importState(saved: SalesforceStoreState): void {
    const apiUser = saved.records.find((r) => r.id === this.apiUserId);
    if (apiUser?.type !== 'User') throw new Error(`the integration user ${this.apiUserId} is missing`);
    this.records.clear();
    for (const record of structuredClone(saved.records)) this.records.set(record.id, record);
    this.sequence = saved.sequence;
  }

  /** The standard convertLead action: Account + Contact (+ Opportunity), lead frozen as converted. */
  convertLead(input: { leadId: string; convertedStatus: string; createOpportunity?: boolean; opportunityName?: string }): {
    accountId: string;
    contactId: string;
    opportunityId: string | null;
  } {
    const lead = this.find(input.leadId, 'Lead');
    if (!lead) throw new SalesforceError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', ['leadId']);
    if (lead.fields.IsConverted === true) throw new SalesforceError('CANNOT_UPDATE_CONVERTED_LEAD', 'This lead was already converted', ['leadId']);
    if (!CONVERTED_LEAD_STATUSES.includes(input.convertedStatus)) {
      throw new SalesforceError('INVALID_STATUS', `invalid converted status: ${input.convertedStatus}`, ['convertedStatus']);
    }
    return this.transaction(() => {
      const company = String(lead.fields.Company ?? 'Unknown');
      const ownerId = String(lead.fields.OwnerId ?? this.apiUserId);
      const account = this.create('Account', { Name: company, OwnerId: ownerId });
      const contact = this.create('Contact', { FirstName: lead.fields.FirstName, LastName: lead.fields.LastName, Email: lead.fields.Email, AccountId: account.id, OwnerId: ownerId });
      const opportunity =
        input.createOpportunity === false
          ? undefined
          : this.create('Opportunity', {
              Name: input.opportunityName ?? `${company}-`,
              StageName: 'Prospecting',
              CloseDate: new Date(this.clock() + 30 * 86_400_000).toISOString().slice(0, 10),
              AccountId: account.id,
              OwnerId: ownerId,
              LeadSource: lead.fields.LeadSource,
            });
      this.write(lead, {
        Status: input.convertedStatus,
        IsConverted: true,
        ConvertedDate: new Date(this.clock()).toISOString().slice(0, 10),
        ConvertedAccountId: account.id,
        ConvertedContactId: contact.id,
        ConvertedOpportunityId: opportunity?.id ?? null,
      }, this.apiUserId);
      return { accountId: account.id, contactId: contact.id, opportunityId: opportunity?.id ?? null };
    });
  }

  private checkWrite(type: SObjectType, input: Record<string, unknown>, mode: 'create' | 'update', selfId: string | undefined): Record<string, SalesforceValue> {
    const values: Record<string, SalesforceValue> = {};
    const forbidden: string[] = [];
    for (const [name, raw] of Object.entries(input)) {
      if (name === 'attributes' || (mode === 'update' && name.toLowerCase() === 'id')) continue;
      const field = fieldOf(type, name);
      if (!field) throw new SalesforceError('INVALID_FIELD', `No such column '${name}' on sobject of type ${type}`, [name]);
      if (mode === 'create' ? !field.createable : !field.updateable) {
        forbidden.push(field.name);
        continue;
      }
      values[field.name] = normalizeFieldValue(field, raw, (id) => this.resolveReference(id, field.references ?? SOBJECT_TYPES));
      if (field.unique && values[field.name] !== null) {
        const clash = this.list(type).find((r) => r.id !== selfId && r.fields[field.name] === values[field.name]);
        if (clash) throw new SalesforceError('DUPLICATE_VALUE', `duplicate value found: ${field.name} duplicates value on record with id: ${clash.id}`, [field.name]);
      }
    }
    this.checkOwnerActive(type, values.OwnerId);
    if (forbidden.length > 0) {
      throw new SalesforceError('INVALID_FIELD_FOR_INSERT_UPDATE', `Unable to create/update fields: ${forbidden.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`, forbidden);
    }
    return values;
  }

  /** Salesforce refuses to make a deactivated user the owner of a record (400, no field named). */
  private checkOwnerActive(type: SObjectType, ownerId: SalesforceValue | undefined): void {
    if (typeof ownerId !== 'string') return;
    const owner = this.find(ownerId, 'User');
    if (owner?.fields.IsActive === false) {
      throw new SalesforceError('INACTIVE_OWNER_OR_USER', `operation performed with inactive user [${owner.id}] as owner of ${type.toLowerCase()}`);
    }
  }

  private resolveReference(id: string, types: readonly SObjectType[]): string | undefined {
    const record = this.find(id);
    return record && types.includes(record.type) ? record.id : undefined;
  }

  private insert(type: SObjectType, values: Record<string, SalesforceValue>, actorId?: string, chosenId?: string): SalesforceStoredRecord {
    const id = chosenId ?? recordId(KEY_PREFIXES[type], this.sequence++);
    const now = this.clock();
    const stamp = toSalesforceDateTime(now);
    const actor = actorId ?? id;
    const record: SalesforceStoredRecord = {
      type,
      id,
      fields: { Id: id, CreatedDate: stamp, CreatedById: actor, IsDeleted: false },
      fieldModifiedAt: {},
    };
    this.records.set(id, record);
    this.write(record, values, actor);
    return record;
  }

  private write(record: SalesforceStoredRecord, values: Record<string, SalesforceValue>, actorId: string): void {
    const now = this.clock();
    for (const [name, value] of Object.entries(values)) {
      if (record.fields[name] !== value) record.fieldModifiedAt[name] = now;
      record.fields[name] = value;
    }
    if (NAMED_TYPES.includes(record.type)) {
      record.fields.Name = [record.fields.FirstName, record.fields.LastName].filter((p) => typeof p === 'string' && p.length > 0).join(' ');
    }
    const stamp = toSalesforceDateTime(now);
    record.fields.LastModifiedDate = stamp;
    record.fields.SystemModstamp = stamp;
    record.fields.LastModifiedById = actorId;
  }
}
