/** CRM v3 owners (paged) and static-list memberships (add/remove, idempotent). */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { HubSpotStore } from './contact-store';
import { sendHubSpotError } from './wire';

const ownersQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  after: z.coerce.number().int().min(0).default(0),
  email: z.string().optional(),
});
const recordIdsBody = z.array(z.union([z.string(), z.number()]).transform(String));

export function registerOwnerAndListRoutes(app: FastifyInstance, store: HubSpotStore): void {
  app.get('/crm/v3/owners', { config: { operation: 'owners.list' } }, async (request, reply) => {
    const parsed = ownersQuery.safeParse(request.query);
    if (!parsed.success) return sendHubSpotError(reply, 400, 'VALIDATION_ERROR', 'invalid owners query');
    const { limit, after, email } = parsed.data;
    const owners = [...store.owners.values()].filter((o) => email === undefined || o.email === email);
    const page = owners.slice(after, after + limit);
    const next = after + page.length;
    return {
      results: page.map((o) => ({
        id: o.id,
        email: o.email,
        firstName: o.firstName,
        lastName: o.lastName,
        userId: o.userId,
        type: 'PERSON',
        createdAt: new Date(o.createdAt).toISOString(),
        updatedAt: new Date(o.updatedAt).toISOString(),
        archived: false,
      })),
      ...(next < owners.length ? { paging: { next: { after: String(next) } } } : {}),
    };
  });

  for (const action of ['add', 'remove'] as const) {
    app.put<{ Params: { listId: string } }>(`/crm/v3/lists/:listId/memberships/${action}`, { config: { operation: `lists.${action}` } }, async (request, reply) => {
      const list = store.lists.get(request.params.listId);
      if (!list) return sendHubSpotError(reply, 404, 'OBJECT_NOT_FOUND', `List ${request.params.listId} does not exist.`);
      const parsed = recordIdsBody.safeParse(request.body);
      if (!parsed.success) return sendHubSpotError(reply, 400, 'VALIDATION_ERROR', 'expected an array of record ids');
      const missing = parsed.data.filter((id) => !store.get(id));
      const present = parsed.data.filter((id) => store.get(id));
      const changed = present.filter((id) => (action === 'add' ? !list.members.has(id) : list.members.has(id)));
      for (const id of changed) {
        if (action === 'add') list.members.add(id);
        else list.members.delete(id);
      }
      return {
        recordsIdsAdded: action === 'add' ? changed : [],
        recordIdsRemoved: action === 'remove' ? changed : [],
        recordIdsMissing: missing,
      };
    });
  }
}
