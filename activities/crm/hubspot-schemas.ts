/** zod shapes of what @hubspot/api-client hands back (dates arrive as Date objects). */
import { z } from 'zod';
import type { HubSpotContact } from '../ports';

const instant = z.union([z.date(), z.string()]).transform((value) => (value instanceof Date ? value.toISOString() : value));

export const contactSchema = z.object({
  id: z.string(),
  properties: z.record(z.string(), z.string().nullable()),
  updatedAt: instant,
});

export const batchReadSchema = z.object({ results: z.array(contactSchema) });

export const batchErrorsSchema = z.object({
  errors: z
    .array(z.object({ category: z.string().optional(), context: z.record(z.string(), z.array(z.string())).optional() }))
    .optional()
    .default([]),
});

export const searchPageSchema = z.object({
  total: z.number().int(),
  results: z.array(contactSchema),
  paging: z.object({ next: z.object({ after: z.string() }).optional() }).optional(),
});

const ownerSchema = z.object({
  id: z.string(),
  email: z.string().nullish(),
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
});
const pageOf = <T extends z.ZodType>(result: T) => z.object({ results: z.array(result), paging: z.object({ next: z.object({ after: z.string() }).optional() }).optional() });

export const ownersPageSchema = pageOf(ownerSchema);

/** An owners page read for a team pool: each owner's teams and whether it is archived (a deactivated user). */
export const teamOwnersPageSchema = pageOf(
  ownerSchema.extend({
    archived: z.boolean().nullish(),
    teams: z.array(z.object({ id: z.string(), name: z.string(), primary: z.boolean().nullish() })).nullish(),
  }),
);

/** The contact with exactly the asked-for properties (null when blank or absent). */
export function toPortContact(contact: z.infer<typeof contactSchema>, properties: string[]): HubSpotContact {
  return {
    id: contact.id,
    properties: Object.fromEntries(properties.map((name) => [name, contact.properties[name] ?? null])),
    updatedAt: contact.updatedAt,
  };
}
