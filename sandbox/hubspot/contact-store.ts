/**
 * The sandbox portal's contacts with HubSpot's semantics rather than a key-value store: values are
 * validated against the property definitions, the lifecycle stage only moves forward unless it was
 * cleared first (an earlier stage is silently ignored), entering a stage stamps its "became a … date",
 * and every change is kept in the property history and reported to listeners (webhooks).
 */
import { HUBSPOT_PROPERTIES, lifecycleRank } from '../../mappings/crm';
import { systemClock, type Clock } from '../clock';
import { defaultContactProperties, type HubSpotPropertyDefinition } from './properties';

/**
 * Who made a change, as HubSpot reports it in history and webhooks. The native Salesforce
 * connector's writes are `SALESFORCE` (docs/sandboxes.md); `INTEGRATION` is any other app.
 */
export type ChangeSource = 'API' | 'CRM_UI' | 'INTEGRATION' | 'IMPORT' | 'SALESFORCE';

export interface PropertyVersion {
  value: string;
  timestamp: string;
  sourceType: ChangeSource;
}

export interface StoredContact {
  id: string;
  createdAt: number;
  updatedAt: number;
  values: Map<string, string>;
  /** Newest first, per property. */
  history: Map<string, PropertyVersion[]>;
}

export interface PropertyChange {
  contactId: string;
  propertyName: string;
  value: string | null;
  source: ChangeSource;
  occurredAt: number;
}

export interface PropertyValidationFailure {
  name: string;
  error: 'PROPERTY_DOESNT_EXIST' | 'INVALID_OPTION' | 'READ_ONLY_VALUE' | 'INVALID_INTEGER' | 'INVALID_DATE' | 'INVALID_OWNER_ID';
  message: string;
}

export class PropertyValidationError extends Error {
  constructor(readonly failures: PropertyValidationFailure[]) {
    super(`Property values were not valid: ${JSON.stringify(failures.map((f) => ({ isValid: false, ...f })))}`);
  }
}

export class ContactNotFoundError extends Error {
  constructor(readonly contactId: string) {
    super(`resource not found`);
  }
}

export interface HubSpotOwnerRecord {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  userId: number;
  createdAt: number;
  updatedAt: number;
  /** A deactivated user's owner is archived: it no longer appears among the active owners. */
  archived?: boolean;
  /** The user's teams, as HubSpot's owners API lists them (a user has at most one primary team). */
  teams?: HubSpotTeam[];
}

export interface HubSpotTeam {
  id: string;
  name: string;
  primary: boolean;
}

export interface StoredList {
  name: string;
  members: Set<string>;
  /** When each member was added (epoch ms); members restored from a snapshot date from the restore. */
  joinedAt: Map<string, number>;
}

/**
 * Everything a restart must keep, as plain JSON-able data: the snapshot file holds this. Property
 * definitions are included because a configured portal (custom properties, extra lifecycle stages)
 * would otherwise refuse values its own restored contacts already carry.
 */
export interface HubSpotStoreState {
  contacts: Array<{ id: string; createdAt: number; updatedAt: number; values: Record<string, string>; history: Record<string, PropertyVersion[]> }>;
  owners: HubSpotOwnerRecord[];
  lists: Array<{ id: string; name: string; members: string[] }>;
  properties: HubSpotPropertyDefinition[];
  sequences: { contact: number; owner: number; list: number };
}

export class HubSpotStore {
  readonly contacts = new Map<string, StoredContact>();
  readonly owners = new Map<string, HubSpotOwnerRecord>();
  readonly lists = new Map<string, StoredList>();
  readonly properties: Map<string, HubSpotPropertyDefinition> = defaultContactProperties();
  private readonly listeners = new Set<(changes: PropertyChange[]) => void>();
  /** The contacts in ascending id order, for search (see contactsInIdOrder); rebuilt when unset. */
  private idOrder: StoredContact[] | undefined;
  private nextContactId = 1001;
  private nextOwnerId = 5001;
  private nextListId = 1;

  constructor(private readonly clock: Clock = systemClock) {}

  onChange(listener: (changes: PropertyChange[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  addOwner(owner: { email: string; firstName: string; lastName: string }): HubSpotOwnerRecord {
    const now = this.clock();
    const id = String(this.nextOwnerId++);
    const record = { ...owner, id, userId: Number(id) * 7, createdAt: now, updatedAt: now };
    this.owners.set(id, record);
    return record;
  }

  /**
   * What a HubSpot admin changes in Settings > Users & Teams: the owner's teams (replaced whole) and
   * whether the user is deactivated (archived owner). Returns the owner, or undefined when unknown.
   */
  changeOwner(id: string, change: { teams?: HubSpotTeam[]; archived?: boolean }): HubSpotOwnerRecord | undefined {
    const owner = this.owners.get(id);
    if (!owner) return undefined;
    if (change.teams) owner.teams = change.teams.map((t) => ({ ...t }));
    if (change.archived !== undefined) owner.archived = change.archived;
    owner.updatedAt = this.clock();
    return owner;
  }

  /** A static contact list; `id` chooses its id (a list a contract names), else the next one. */
  createList(name: string, id?: string): string {
    const listId = id ?? String(this.nextListId++);
    if (this.lists.has(listId)) throw new Error(`list ${listId} exists already`);
    if (Number(listId) >= this.nextListId) this.nextListId = Number(listId) + 1;
    this.lists.set(listId, { name, members: new Set(), joinedAt: new Map() });
    return listId;
  }

  /** Adds and removes members; answers which actually changed. */
  changeMembers(listId: string, add: readonly string[], remove: readonly string[]): { added: string[]; removed: string[] } {
    const list = this.lists.get(listId);
    if (!list) return { added: [], removed: [] };
    const now = this.clock();
    const removed = remove.filter((id) => list.members.delete(id));
    for (const id of removed) list.joinedAt.delete(id);
    const added = add.filter((id) => !list.members.has(id));
    for (const id of added) {
      list.members.add(id);
      list.joinedAt.set(id, now);
    }
    return { added, removed };
  }

  createContact(properties: Record<string, string>, source: ChangeSource = 'CRM_UI'): StoredContact {
    const id = String(this.nextContactId++);
    const now = this.clock();
    const contact: StoredContact = { id, createdAt: now, updatedAt: now, values: new Map(), history: new Map() };
    this.validate(properties);
    this.contacts.set(id, contact);
    const last = this.idOrder?.at(-1);
    if (this.idOrder && (!last || Number(last.id) < Number(id))) this.idOrder.push(contact);
    else this.idOrder = undefined;
    this.record(contact, 'hs_object_id', id, source, now);
    this.record(contact, 'createdate', new Date(now).toISOString(), source, now);
    const changes = this.apply(contact, properties, source, now);
    this.notify(changes);
    return contact;
  }

  /**
   * Every contact in ascending id order (hs_object_id is the id, read-only), kept as contacts are
   * created: search pages through it by id range instead of sorting the portal for every page.
   */
  contactsInIdOrder(): readonly StoredContact[] {
    this.idOrder ??= [...this.contacts.values()].sort((a, b) => Number(a.id) - Number(b.id));
    return this.idOrder;
  }

  get(id: string): StoredContact | undefined {
    return this.contacts.get(id);
  }

  value(id: string, property: string): string | null {
    return this.contacts.get(id)?.values.get(property) ?? null;
  }

  /** Validates every value first, then applies them all (HubSpot rejects the whole write). */
  update(id: string, properties: Record<string, string>, source: ChangeSource = 'CRM_UI'): PropertyChange[] {
    const contact = this.contacts.get(id);
    if (!contact) throw new ContactNotFoundError(id);
    this.validate(properties);
    const changes = this.apply(contact, properties, source, this.clock());
    this.notify(changes);
    return changes;
  }

  /** Validation without applying: batch writes check every input before touching any contact. */
  validate(properties: Record<string, string>): void {
    const failures: PropertyValidationFailure[] = [];
    for (const [name, raw] of Object.entries(properties)) {
      const failure = this.validateOne(name, raw);
      if (failure) failures.push(failure);
    }
    if (failures.length > 0) throw new PropertyValidationError(failures);
  }

  private validateOne(name: string, raw: string): PropertyValidationFailure | undefined {
    const definition = this.properties.get(name);
    if (!definition) return { name, error: 'PROPERTY_DOESNT_EXIST', message: `Property "${name}" does not exist` };
    if (definition.readOnly) return { name, error: 'READ_ONLY_VALUE', message: `"${name}" is a read only property; its value cannot be set.` };
    if (raw === '') return undefined;
    if (definition.type === 'enumeration' && !definition.options?.includes(raw)) {
      return { name, error: 'INVALID_OPTION', message: `${raw} was not one of the allowed options: [${definition.options?.join(', ') ?? ''}]` };
    }
    if (definition.type === 'number' && !Number.isFinite(Number(raw))) {
      return { name, error: 'INVALID_INTEGER', message: `${raw} is not a valid number` };
    }
    if (definition.type === 'datetime' && toIsoInstant(raw) === undefined) {
      return { name, error: 'INVALID_DATE', message: `${raw} is not a valid datetime` };
    }
    if (name === HUBSPOT_PROPERTIES.ownerId && !this.owners.has(raw)) {
      return { name, error: 'INVALID_OWNER_ID', message: `${raw} is not a valid owner id` };
    }
    return undefined;
  }

  private apply(contact: StoredContact, properties: Record<string, string>, source: ChangeSource, now: number): PropertyChange[] {
    const changes: PropertyChange[] = [];
    for (const [name, raw] of Object.entries(properties)) {
      const value = this.properties.get(name)?.type === 'datetime' && raw !== '' ? (toIsoInstant(raw) ?? raw) : raw;
      const current = contact.values.get(name) ?? null;
      if (name === HUBSPOT_PROPERTIES.lifecycleStage && current !== null && value !== '' && lifecycleRank(value) < lifecycleRank(current)) {
        continue; // HubSpot silently ignores an earlier stage unless the property was cleared first.
      }
      if ((current ?? '') === value) continue;
      this.record(contact, name, value, source, now);
      changes.push({ contactId: contact.id, propertyName: name, value: value === '' ? null : value, source, occurredAt: now });
      if (name === HUBSPOT_PROPERTIES.lifecycleStage && value !== '') {
        const stamp = `hs_lifecyclestage_${value}_date`;
        const iso = new Date(now).toISOString();
        this.record(contact, stamp, iso, source, now);
        changes.push({ contactId: contact.id, propertyName: stamp, value: iso, source, occurredAt: now });
      }
    }
    if (changes.length > 0) {
      contact.updatedAt = now;
      const iso = new Date(now).toISOString();
      contact.values.set('lastmodifieddate', iso);
      contact.values.set('hs_lastmodifieddate', iso);
    }
    return changes;
  }

  private record(contact: StoredContact, name: string, value: string, source: ChangeSource, now: number): void {
    if (value === '') contact.values.delete(name);
    else contact.values.set(name, value);
    const versions = contact.history.get(name) ?? [];
    versions.unshift({ value, timestamp: new Date(now).toISOString(), sourceType: source });
    contact.history.set(name, versions);
  }

  private notify(changes: PropertyChange[]): void {
    if (changes.length === 0) return;
    for (const listener of this.listeners) listener(changes);
  }

  exportState(): HubSpotStoreState {
    return structuredClone({
      contacts: [...this.contacts.values()].map((c) => ({ id: c.id, createdAt: c.createdAt, updatedAt: c.updatedAt, values: Object.fromEntries(c.values), history: Object.fromEntries(c.history) })),
      owners: [...this.owners.values()],
      lists: [...this.lists].map(([id, list]) => ({ id, name: list.name, members: [...list.members] })),
      properties: [...this.properties.values()],
      sequences: { contact: this.nextContactId, owner: this.nextOwnerId, list: this.nextListId },
    });
  }

  /**
   * Replaces contacts, owners, lists and id sequences with a saved state. Listeners are not told:
   * restoring is not a change, and webhooks for it would replay old events. Saved property
   * definitions are laid over the current ones, so definitions added since the save stay known.
   */
  importState(saved: HubSpotStoreState): void {
    const state = structuredClone(saved);
    this.contacts.clear();
    this.idOrder = undefined;
    for (const c of state.contacts) {
      this.contacts.set(c.id, { id: c.id, createdAt: c.createdAt, updatedAt: c.updatedAt, values: new Map(Object.entries(c.values)), history: new Map(Object.entries(c.history)) });
    }
    this.owners.clear();
    for (const owner of state.owners) this.owners.set(owner.id, owner);
    this.lists.clear();
    const restoredAt = this.clock();
    for (const list of state.lists) this.lists.set(list.id, { name: list.name, members: new Set(list.members), joinedAt: new Map(list.members.map((m) => [m, restoredAt])) });
    for (const definition of state.properties) this.properties.set(definition.name, definition);
    this.nextContactId = state.sequences.contact;
    this.nextOwnerId = state.sequences.owner;
    this.nextListId = state.sequences.list;
  }

  /** When a property last changed (history), for the connector's last-writer-wins rule. */
  changedAt(id: string, property: string): number | undefined {
    const latest = this.contacts.get(id)?.history.get(property)?.[0];
    return latest ? Date.parse(latest.timestamp) : undefined;
  }
}

/** HubSpot accepts datetimes as epoch milliseconds or ISO-8601 and answers ISO with milliseconds. */
export function toIsoInstant(raw: string): string | undefined {
  const millis = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  return Number.isFinite(millis) ? new Date(millis).toISOString() : undefined;
}
