/**
 * HubSpotPort through the official @hubspot/api-client, pointed at a portal (api.hubapi.com) or a
 * sandbox (basePath). SDK retries are off: Temporal owns retries, and every error is translated at
 * this boundary. Every request passes through the process's HubSpot call budget. Concurrent handoffs
 * share batch requests: reads and lifecycle read-backs (batch read, ≤ 100), property and lifecycle
 * writes (batch update, ≤ 100), and list memberships (one request per list).
 */
import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/contacts';
import { HUBSPOT_PROPERTIES, lifecycleRank } from '../../mappings/crm';
import { BATCH_LINGER_MS, createCoalescingLoader, mergeWrites, type BatchOutcome, type BatchRequest, type CoalescingLoader } from './batching';
import { createCallBudget, DEFAULT_CALL_BUDGETS, type CallBudget, type CallBudgetLimit } from './call-budget';
import { crmFailure, hubspotFailure } from './crm-errors';
import { CALL_OPTIONS as call, createHubSpotClient } from './hubspot-client';
import type { CrmRequestMeter } from './request-meter';
import { batchErrorsSchema, batchReadSchema, ownersPageSchema, searchPageSchema, teamOwnersPageSchema, toPortContact } from './hubspot-schemas';
import { CRM_ERROR_TYPES, type HubSpotContact, type HubSpotFilterGroup, type HubSpotOwner, type HubSpotPort, type PoolMember } from '../ports';

export interface HubSpotAdapterOptions {
  accessToken: string;
  /** A sandbox's base URL; unset for the real API. */
  basePath?: string;
  requestTimeoutMs?: number;
  /** How long a batched call waits for others to share its request (longer when the budget is busy). */
  batchWindowMs?: number;
  /** How long it waits while handoffs run side by side (see batching.ts). */
  batchLingerMs?: number;
  /** Requests this process may make (HUBSPOT_CALLS_PER_10_SECONDS per 10 s by default). */
  callBudget?: CallBudgetLimit;
  /** A budget shared with other processes (worker/shared-call-budgets.ts); replaces `callBudget`. */
  budget?: CallBudget;
  /** Counts each request and each 429 (the bridge's crm_* metrics). */
  meter?: CrmRequestMeter;
}

const BATCH_LIMIT = 100;
/** Membership calls per list; HubSpot takes many more ids a request, this keeps requests small. */
const LIST_BATCH_LIMIT = 100;

const LIFECYCLE = HUBSPOT_PROPERTIES.lifecycleStage;

async function guarded<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw hubspotFailure(operation, err);
  }
}

function toSdkFilterGroups(groups: HubSpotFilterGroup[]) {
  return groups.map((group) => ({
    filters: group.filters.map((filter) => ({
      propertyName: filter.propertyName,
      operator: FilterOperatorEnum[operatorKey(filter.operator)],
      ...(filter.value !== undefined ? { value: filter.value } : {}),
      ...(filter.values !== undefined ? { values: filter.values } : {}),
      ...(filter.highValue !== undefined ? { highValue: filter.highValue } : {}),
    })),
  }));
}

/** 'NOT_HAS_PROPERTY' → 'NotHasProperty': the SDK enum's member names. */
function operatorKey(operator: string): keyof typeof FilterOperatorEnum {
  return operator
    .toLowerCase()
    .split('_')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('') as keyof typeof FilterOperatorEnum;
}

export function createHubSpotAdapter(options: HubSpotAdapterOptions): HubSpotPort {
  const client = createHubSpotClient(options);
  const windowMs = options.batchWindowMs ?? 10;
  const lingerMs = options.batchLingerMs ?? BATCH_LINGER_MS;
  const budget = options.budget ?? createCallBudget(options.callBudget ?? { calls: DEFAULT_CALL_BUDGETS.hubspotPer10Seconds, perMs: 10_000 });
  const request: BatchRequest = (send) => budget.run(send);

  const batchRead = async (ids: string[], properties: string[], send: BatchRequest): Promise<Map<string, HubSpotContact>> => {
    const found = new Map<string, HubSpotContact>();
    for (let i = 0; i < ids.length; i += BATCH_LIMIT) {
      const chunk = ids.slice(i, i + BATCH_LIMIT);
      const response = await send(() => client.crm.contacts.batchApi.read({ inputs: chunk.map((id) => ({ id })), properties, propertiesWithHistory: [] }, undefined, call));
      for (const contact of batchReadSchema.parse(response).results) found.set(contact.id, toPortContact(contact, properties));
    }
    return found;
  };

  const reads = createCoalescingLoader<{ contactId: string; properties: string[] }, HubSpotContact | null>({
    maxBatchSize: BATCH_LIMIT,
    windowMs,
    lingerMs,
    budget,
    runBatch: async (items, send) => {
      const properties = [...new Set(items.flatMap((item) => item.properties))];
      const found = await guarded('getContact', () => batchRead([...new Set(items.map((i) => i.contactId))], properties, send));
      return items.map((item) => {
        const contact = found.get(item.contactId);
        return { ok: true, value: contact ? { ...contact, properties: Object.fromEntries(item.properties.map((p) => [p, contact.properties[p] ?? null])) } : null };
      });
    },
  });

  type WriteOperation = 'updateContact' | 'setLifecycleStage';

  const updateOne = async (operation: WriteOperation, contactId: string, properties: Record<string, string>, send: BatchRequest): Promise<BatchOutcome<void>> => {
    try {
      await send(() => client.crm.contacts.basicApi.update(contactId, { properties }, undefined, call));
      return { ok: true, value: undefined };
    } catch (err) {
      return { ok: false, error: hubspotFailure(operation, err) };
    }
  };

  /** Batch updates for one operation: property writes and lifecycle writes never share a request. */
  const writeLoader = (operation: WriteOperation) => createCoalescingLoader<{ contactId: string; properties: Record<string, string> }, void>({
    maxBatchSize: BATCH_LIMIT,
    windowMs,
    lingerMs,
    budget,
    runBatch: async (items, send) => {
      // Two writes to one contact in a batch merge in call order, as two sequential PATCHes would.
      const merged = mergeWrites(items, (item) => item.contactId, (item) => item.properties);
      const inputs = [...merged].map(([id, properties]) => ({ id, properties }));
      let missing = new Set<string>();
      try {
        const response = await send(() => client.crm.contacts.batchApi.update({ inputs }, call));
        const errors = batchErrorsSchema.parse(response).errors;
        missing = new Set(errors.flatMap((e) => e.context?.ids ?? []));
      } catch (err) {
        const failure = hubspotFailure(operation, err);
        // HubSpot rejects a whole batch for one invalid value: retry each contact alone so only
        // the offending caller fails.
        if (failure.type !== CRM_ERROR_TYPES.invalid || inputs.length === 1) return items.map(() => ({ ok: false, error: failure }));
        const outcomes = new Map(await Promise.all(inputs.map(async (input) => [input.id, await updateOne(operation, input.id, input.properties, send)] as const)));
        return items.map((item) => outcomes.get(item.contactId) ?? { ok: false, error: failure });
      }
      return items.map((item) =>
        missing.has(item.contactId)
          ? { ok: false, error: crmFailure(CRM_ERROR_TYPES.notFound, `hubspot.${operation} failed: contact not found`) }
          : { ok: true, value: undefined },
      );
    },
  });
  const writes = writeLoader('updateContact');
  const lifecycleWrites = writeLoader('setLifecycleStage');

  const readLifecycle = async (contactId: string): Promise<string | null> => {
    const contact = await reads.load({ contactId, properties: [LIFECYCLE] });
    if (!contact) throw crmFailure(CRM_ERROR_TYPES.notFound, 'hubspot.setLifecycleStage failed: contact not found');
    return contact.properties[LIFECYCLE] ?? null;
  };

  const setLifecycle = (contactId: string, value: string): Promise<void> => lifecycleWrites.load({ contactId, properties: { [LIFECYCLE]: value } });

  /** One loader per list and direction: callers adding to the same list share one request. */
  const memberships = new Map<string, CoalescingLoader<string[], void>>();
  const membership = async (operation: 'addToList' | 'removeFromList', listId: string, contactIds: string[]): Promise<void> => {
    if (contactIds.length === 0) return;
    const key = `${operation}:${listId}`;
    let loader = memberships.get(key);
    if (!loader) {
      loader = createCoalescingLoader<string[], void>({
        maxBatchSize: LIST_BATCH_LIMIT,
        windowMs,
        lingerMs,
        budget,
        runBatch: async (items, send) => {
          const ids = [...new Set(items.flat())];
          await guarded(operation, () =>
            send(() => (operation === 'addToList' ? client.crm.lists.membershipsApi.add(listId, ids, call) : client.crm.lists.membershipsApi.remove(listId, ids, call))),
          );
          return items.map(() => ({ ok: true, value: undefined }));
        },
      });
      memberships.set(key, loader);
    }
    await loader.load(contactIds);
  };

  return {
    getContact: (input) => reads.load(input),

    async getContacts({ contactIds, properties }) {
      const found = await guarded('getContacts', () => batchRead([...new Set(contactIds)], properties, request));
      return contactIds.flatMap((id) => found.get(id) ?? []);
    },

    async updateContact({ contactId, properties }) {
      if (LIFECYCLE in properties) {
        throw crmFailure(CRM_ERROR_TYPES.invalid, 'hubspot.updateContact refused: lifecyclestage moves only through setLifecycleStage');
      }
      await writes.load({ contactId, properties });
    },

    async setLifecycleStage({ contactId, stage }) {
      const previous = await readLifecycle(contactId);
      if (previous === stage) return { previous, current: previous };
      // HubSpot ignores an earlier stage: clear first. Unknown (custom) stages are treated the same.
      const backwards = previous !== null && (lifecycleRank(stage) < 0 || lifecycleRank(previous) < 0 || lifecycleRank(stage) < lifecycleRank(previous));
      if (backwards) await setLifecycle(contactId, '');
      await setLifecycle(contactId, stage);
      return { previous, current: await readLifecycle(contactId) };
    },

    addToList: ({ listId, contactIds }) => membership('addToList', listId, contactIds),
    removeFromList: ({ listId, contactIds }) => membership('removeFromList', listId, contactIds),

    async searchContacts({ filterGroups, properties, sorts, limit, after }) {
      const page = await guarded('searchContacts', async () =>
        searchPageSchema.parse(
          await request(() => client.crm.contacts.searchApi.doSearch({
            filterGroups: toSdkFilterGroups(filterGroups),
            properties,
            sorts: sorts ?? [],
            limit: Math.min(limit ?? 100, 200),
            ...(after !== undefined ? { after } : {}),
          }, call)),
        ),
      );
      const next = page.paging?.next?.after;
      return { results: page.results.map((c) => toPortContact(c, properties)), total: page.total, ...(next ? { after: next } : {}) };
    },

    async listOwners() {
      const owners: HubSpotOwner[] = [];
      let after: string | undefined;
      do {
        const page = await guarded('listOwners', async () => ownersPageSchema.parse(await request(() => client.crm.owners.ownersApi.getPage(undefined, after, 500, undefined, call))));
        owners.push(...page.results.map((o) => ({ id: o.id, email: o.email ?? '', firstName: o.firstName ?? '', lastName: o.lastName ?? '' })));
        after = page.paging?.next?.after;
      } while (after);
      return owners;
    },

    async readTeamMembers({ team }) {
      // Active owners, then archived ones (HubSpot lists them only when asked): an archived member
      // stays visible as inactive rather than looking as if it had left the team.
      // By owner id: an owner archived between the two reads is listed by both; the later read wins.
      const members = new Map<string, PoolMember>();
      let teamId: string | null = null;
      for (const archived of [false, true]) {
        let after: string | undefined;
        do {
          const page = await guarded('readTeamMembers', async () => teamOwnersPageSchema.parse(await request(() => client.crm.owners.ownersApi.getPage(undefined, after, 500, archived, call))));
          for (const owner of page.results) {
            const match = (owner.teams ?? []).find((t) => t.id === team || t.name === team);
            if (!match) {
              members.delete(owner.id);
              continue;
            }
            teamId ??= match.id;
            const name = [owner.firstName, owner.lastName].filter(Boolean).join(' ') || (owner.email ?? owner.id);
            members.set(owner.id, { id: owner.id, name, email: owner.email ?? '', isActive: !(archived || owner.archived === true), outOfOffice: false });
          }
          after = page.paging?.next?.after;
        } while (after);
      }
      return teamId === null ? null : { teamId, members: [...members.values()] };
    },
  };
}
