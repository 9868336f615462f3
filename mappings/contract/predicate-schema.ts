/**
 * Predicates: the only way the contract may state a criterion. Each one names a CRM property (or a
 * logged activity) and an operator a machine can check, so no definition rests on judgement.
 */
import { z } from 'zod';
import { ACTIVITY_TYPES } from './activity-types';

const property = z.string().min(1, 'a property name is required');
const scalar = z.union([z.string(), z.number(), z.boolean()]);
/** An optional short name for the criterion ("authority", "fit: size"); the criterion itself is the predicate. */
const label = z.string().min(1).optional();

const equality = z.strictObject({ label, property, op: z.enum(['eq', 'neq']), value: scalar });
const membership = z.strictObject({
  label,
  property,
  op: z.enum(['in', 'not_in']),
  values: z.array(z.union([z.string(), z.number()])).min(1, 'list at least one value'),
});
const comparison = z.strictObject({ label, property, op: z.enum(['gt', 'gte', 'lt', 'lte']), value: z.number() });
const range = z
  .strictObject({ label, property, op: z.literal('between'), min: z.number(), max: z.number() })
  .refine((p) => p.min <= p.max, { message: 'min must not exceed max', path: ['max'] });
const presence = z.strictObject({ label, property, op: z.enum(['present', 'absent']) });
const recency = z.strictObject({ label, property, op: z.literal('within_days'), days: z.number().positive() });
/**
 * A logged activity of a type within N days, read from the property HubSpot keeps for that activity
 * (see activity-types.ts). `named` narrows form submissions to one form; `atLeast` needs a count.
 */
const activity = z.strictObject({
  label,
  op: z.literal('activity'),
  type: z.enum(ACTIVITY_TYPES),
  days: z.number().positive(),
  named: z.string().min(1).optional(),
  atLeast: z.number().int().positive().optional(),
});

export const predicateSchema = z.discriminatedUnion('op', [equality, membership, comparison, range, presence, recency, activity]);
export type Predicate = z.infer<typeof predicateSchema>;
export type PropertyPredicate = Exclude<Predicate, { op: 'activity' }>;
export type ActivityPredicate = Extract<Predicate, { op: 'activity' }>;
