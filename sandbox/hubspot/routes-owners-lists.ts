/**
 * CRM v3 owners (paged, one by id, active or archived, with their teams) and static lists (one by id,
 * memberships paged, add/remove). PUT /__sandbox/owners/:ownerId changes an owner's teams or archives
 * it, as an admin would in HubSpot's settings (the owners API itself is read-only).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { HubSpotOwnerRecord, HubSpotStore } from './contact-store';
import { sendHubSpotError } from './wire';
import { fromLoopback } from '../admin-timestamps';

const ownersQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  after: z.coerce.number().int().min(0).default(0),
  email: z.string().optional(),
  archived: z.enum(['true', 'false']).default('false'),
});
const ownerQuery = z.object({ idProperty: z.enum(['id', 'userId']).default('id'), archived: z.enum(['true', 'false']).default('false') });
const membershipsQuery = z.object({ limit: z.coerce.number().int().min(1).max(250).default(100), after: z.coerce.number().int().min(0).default(0) });
const recordIdsBody = z.array(z.union([z.string(), z.number()]).transform(String));
const teamSchema = z.object({ id: z.string().regex(/^\d+$/, 'expected a numeric team id'), name: z.string().min(1), primary: z.boolean().default(false) });
const ownerChangeBody = z.strictObject({ teams: z.array(teamSchema).optional(), archived: z.boolean().optional() });
const changeBody = z.object({ recordIdsToAdd: recordIdsBody.default([]), recordIdsToRemove: recordIdsBody.default([]) });

function ownerToWire(o: HubSpotOwnerRecord): Record<string, unknown> {
  return {
    id: o.id,
    email: o.email,
    firstName: o.firstName,
    lastName: o.lastName,
    userId: o.userId,
    type: 'PERSON',
    createdAt: new Date(o.createdAt).toISOString(),
    updatedAt: new Date(o.updatedAt).toISOString(),
    archived: o.archived === true,
    // HubSpot includes `teams` only for a user on some team.
    ...(o.teams?.length ? { teams: o.teams.map((t) => ({ id: t.id, name: t.name, primary: t.primary })) } : {}),
  };
}

export function registerOwnerAndListRoutes(app: FastifyInstance, store: HubSpotStore): void {
  app.get('/crm/v3/owners', { config: { operation: 'owners.list' } }, async (request, reply) => {
    const parsed = ownersQuery.safeParse(request.query);
    if (!parsed.success) return sendHubSpotError(reply, 400, 'VALIDATION_ERROR', 'invalid owners query');
    const { limit, after, email, archived } = parsed.data;
    // HubSpot lists active owners by default and archived (deactivated) ones only when asked.
    const owners = [...store.owners.values()].filter((o) => (email === undefined || o.email === email) && (o.archived === true) === (archived === 'true'));
    const page = owners.slice(after, after + limit);
    const next = after + page.length;
    return { results: page.map(ownerToWire), ...(next < owners.length ? { paging: { next: { after: String(next) } } } : {}) };
  });

  app.get<{ Params: { ownerId: string } }>('/crm/v3/owners/:ownerId', { config: { operation: 'owners.get' } }, async (request, reply) => {
    const parsed = ownerQuery.safeParse(request.query);
    if (!parsed.success) return sendHubSpotError(reply, 400, 'VALIDATION_ERROR', 'invalid owner query');
    const { idProperty, archived } = parsed.data;
    const owner = [...store.owners.values()].find((o) => (idProperty === 'id' ? o.id : String(o.userId)) === request.params.ownerId);
    if (!owner || (owner.archived === true) !== (archived === 'true')) {
      return sendHubSpotError(reply, 404, 'OBJECT_NOT_FOUND', `Unable to find owner with ${idProperty} ${request.params.ownerId}`);
    }
    return ownerToWire(owner);
  });

  app.put<{ Params: { ownerId: string } }>('/__sandbox/owners/:ownerId', { config: { admin: true } }, async (request, reply) => {
    if (!fromLoopback(request)) return reply.code(403).send({ error: 'admin routes answer loopback callers only' });
    const parsed = ownerChangeBody.safeParse(request.body);
    if (!parsed.success) return sendHubSpotError(reply, 400, 'VALIDATION_ERROR', `expected {teams?: [{id, name, primary}], archived?: boolean}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    const owner = store.changeOwner(request.params.ownerId, { ...(parsed.data.teams ? { teams: parsed.data.teams } : {}), ...(parsed.data.archived !== undefined ? { archived: parsed.data.archived } : {}) });
    if (!owner) return sendHubSpotError(reply, 404, 'OBJECT_NOT_FOUND', `Unable to find owner with id ${request.params.ownerId}`);
    return ownerToWire(owner);
  });

  app.get<{ Params: { listId: string } }>('/crm/v3/lists/:listId', { config: { operation: 'lists.get' } }, async (request, reply) => {
    const list = store.lists.get(request.params.listId);
    if (!list) return sendHubSpotError(reply, 404, 'OBJECT_NOT_FOUND', `List ${request.params.listId} does not exist.`);
    return { list: { listId: request.params.listId, name: list.name, objectTypeId: '0-1', processingType: 'MANUAL', processingStatus: 'COMPLETE', size: list.members.size, listVersion: 1 } };
  });

  app.get<{ Params: { listId: string } }>('/crm/v3/lists/:listId/memberships', { config: { operation: 'lists.memberships' } }, async (request, reply) => {
    const list = store.lists.get(request.params.listId);
    if (!list) return sendHubSpotError(reply, 404, 'OBJECT_NOT_FOUND', `List ${request.params.listId} does not exist.`);
    const parsed = membershipsQuery.safeParse(request.query);
    if (!parsed.success) return sendHubSpotError(reply, 400, 'VALIDATION_ERROR', 'invalid memberships query');
    const { limit, after } = parsed.data;
    // Ordered by record id, as HubSpot pages memberships.
    const members = [...list.members].sort((a, b) => Number(a) - Number(b));
    const page = members.slice(after, after + limit);
    const next = after + page.length;
    return {
      results: page.map((recordId) => ({ recordId, membershipTimestamp: new Date(list.joinedAt.get(recordId) ?? 0).toISOString() })),
      total: members.length,
      ...(next < members.length ? { paging: { next: { after: String(next) } } } : {}),
    };
  });

  const change = (listId: string, add: string[], remove: string[]) => {
    const missing = [...add, ...remove].filter((id) => !store.get(id));
    const { added, removed } = store.changeMembers(
      listId,
      add.filter((id) => store.get(id)),
      remove.filter((id) => store.get(id)),
    );
    return { recordsIdsAdded: added, recordIdsRemoved: removed, recordIdsMissing: [...new Set(missing)] };
  };

  for (const action of ['add', 'remove'] as const) {
    app.put<{ Params: { listId: string } }>(`/crm/v3/lists/:listId/memberships/${action}`, { config: { operation: `lists.${action}` } }, async (request, reply) => {
      if (!store.lists.has(request.params.listId)) return sendHubSpotError(reply, 404, 'OBJECT_NOT_FOUND', `List ${request.params.listId} does not exist.`);
      const parsed = recordIdsBody.safeParse(request.body);
      if (!parsed.success) return sendHubSpotError(reply, 400, 'VALIDATION_ERROR', 'expected an array of record ids');
      return action === 'add' ? change(request.params.listId, parsed.data, []) : change(request.params.listId, [], parsed.data);
    });
  }

  app.put<{ Params: { listId: string } }>('/crm/v3/lists/:listId/memberships/add-and-remove', { config: { operation: 'lists.addAndRemove' } }, async (request, reply) => {
    if (!store.lists.has(request.params.listId)) return sendHubSpotError(reply, 404, 'OBJECT_NOT_FOUND', `List ${request.params.listId} does not exist.`);
    const parsed = changeBody.safeParse(request.body);
    if (!parsed.success) return sendHubSpotError(reply, 400, 'VALIDATION_ERROR', 'expected {recordIdsToAdd, recordIdsToRemove}');
    return change(request.params.listId, parsed.data.recordIdsToAdd, parsed.data.recordIdsToRemove);
  });
}
