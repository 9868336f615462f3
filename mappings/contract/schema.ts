/**
 * The SLA contract: one YAML file both teams sign, validated here. It has no free-text criteria:
 * every definition is a list of predicates, every commitment a number with a structured measure and
 * an owner. Cross-references (owners, codes, properties) are checked by check.ts, which can say more
 * than a schema can (which property is unknown, which stage looks like a deal stage).
 */
import { z } from 'zod';
import { calendarSchema, dateOrInstantSchema, isoDateSchema, timeZoneSchema, workingHoursSchema, longestWorkingDayMinutes } from '../calendar';
import { predicateSchema } from './predicate-schema';
import { STAGES, type Stage } from './stages';
import { SYNC_RULES } from './sync-rules';

export { STAGES, type Stage };

/** The commitments every contract must carry: three owed by marketing, three by sales. */
export const REQUIRED_COMMITMENTS = ['mql_volume', 'acceptance_rate', 'data_completeness', 'speed_to_lead', 'contact_attempts', 'disposition_logged'] as const;

/** The monthly review's fixed agenda, in order: not a free-form grievance session. */
export const REVIEW_AGENDA = ['commitment_attainment', 'conversion_funnel', 'rejection_reasons', 'improvement_action'] as const;

export const CONTACT_CHANNELS = ['call', 'email', 'linkedin', 'sms', 'video', 'meeting'] as const;

/** What a rejection reason teaches marketing: which part of the contract it feeds back into. */
export const FEEDBACK_TARGETS = ['mql.fit', 'mql.engagement', 'dataCompleteness', 'routing', 'connector.inclusion'] as const;

const slug = z.string().regex(/^[a-z][a-z0-9_]*$/, 'expected lower_snake_case');
const text = z.string().trim().min(1, 'must not be empty');
/** HubSpot list ids are numbers in the UI and strings in the API: accept either, keep a string. */
const listId = z.union([z.string().trim().min(1), z.number().int().positive()]).transform(String);
const predicates = z.array(predicateSchema).min(1, 'list at least one predicate');

const ownerSchema = z.strictObject({ id: slug, name: text, role: text, team: z.enum(['marketing', 'sales', 'revops']), email: z.email().optional() });

const definitionsSchema = z.strictObject({
  /** fit: all must hold; engagement: any one is enough (a score threshold OR a high-intent action). */
  mql: z.strictObject({ sentence: text, owner: slug, fit: predicates, engagement: predicates }),
  /** confirmedBy: all must hold, on the Salesforce lead. */
  sal: z.strictObject({ sentence: text, owner: slug, confirmedBy: predicates }),
  /** signals: all must hold (need, authority, timing or your equivalent), on the Salesforce lead. */
  sql: z.strictObject({ sentence: text, owner: slug, signals: predicates }),
});

/** Where an event is recorded: a property in HubSpot, a field in Salesforce, or a stamp the bridge writes. */
export const eventRefSchema = z.strictObject({ system: z.enum(['hubspot', 'salesforce', 'bridge']), field: text });
export type EventRef = z.infer<typeof eventRefSchema>;

const measureSchema = z.discriminatedUnion('kind', [
  /** How many `start` events a month. */
  z.strictObject({ kind: z.literal('count'), start: eventRefSchema }),
  /** Share of leads with `start` that also reach `stop`. */
  z.strictObject({ kind: z.literal('ratio'), start: eventRefSchema, stop: eventRefSchema }),
  /** Time from `start` to `stop`. */
  z.strictObject({
    kind: z.literal('duration'),
    start: eventRefSchema,
    stop: eventRefSchema,
    clock: z.enum(['business', 'calendar']),
    statistic: z.enum(['median', 'p90', 'attainment']),
  }),
  /** Contact attempts logged at `stop` after `start`, within contactAttempts.windowBusinessDays. */
  z.strictObject({ kind: z.literal('attempts'), start: eventRefSchema, stop: eventRefSchema }),
  /** Share of leads handed over at `start` with every dataCompleteness.requiredProperties filled. */
  z.strictObject({ kind: z.literal('completeness'), start: eventRefSchema }),
  /** Share of leads handed over at `start` whose `stop` field was filled. */
  z.strictObject({ kind: z.literal('presence'), start: eventRefSchema, stop: eventRefSchema }),
]);
export type Measure = z.infer<typeof measureSchema>;

const commitmentSchema = z.strictObject({
  id: slug,
  team: z.enum(['marketing', 'sales']),
  title: text,
  target: z.strictObject({
    value: z.number({ error: 'a commitment needs a number' }),
    unit: z.enum(['leads_per_month', 'percent', 'business_minutes', 'minutes', 'hours', 'attempts']),
  }),
  measure: measureSchema,
  owner: slug,
});
export type Commitment = z.infer<typeof commitmentSchema>;

const statusTargetSchema = z.strictObject({ hubspotLifecycle: text, hubspotLeadStatus: text.optional(), salesforceStatus: text });
export type StatusTarget = z.infer<typeof statusTargetSchema>;

const handoffSchema = z.strictObject({
  /** `lead`: each contact is handed over on its own; `account`: one handoff per account (accountKeyProperty). */
  level: z.enum(['lead', 'account']).default('lead'),
  accountKeyProperty: text.optional(),
  acceptanceWindowBusinessMinutes: z.number().int().positive(),
  reminderBeforeBreachBusinessMinutes: z.number().int().nonnegative(),
  reassignLimit: z.number().int().nonnegative(),
  syncGraceMinutes: z.number().nonnegative(),
  /**
   * `target` is `rep` (the assigned rep's own address on that channel), a webhook URL or an email address.
   * Kind `blocked` is RevOps' channel: a handoff a CRM refused for good (never sent to a rep).
   */
  alerts: z
    .array(z.strictObject({ channel: z.enum(['slack', 'teams', 'email']), target: text, kinds: z.array(z.enum(['alert', 'reminder', 'breach', 'blocked'])).min(1) }))
    .min(1, 'at least one alert channel'),
  alertFacts: z.array(text).min(1, 'the alert must carry at least one fact'),
  revert: z.strictObject({ hubspotLifecycle: text, hubspotLeadStatus: text, nurtureListId: listId, salesforceStatus: text }),
  readBackAfterMinutes: z.number().nonnegative(),
});

const rejectionReasonSchema = z.strictObject({
  code: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'expected UPPER_SNAKE_CASE'),
  label: text,
  recyclable: z.boolean(),
  hubspotLeadStatus: text,
  nurtureListId: listId.optional(),
});
export type RejectionReason = z.infer<typeof rejectionReasonSchema>;

/**
 * How much a rep may carry: new leads per business day (the rep's own day, in their time zone) and
 * leads awaiting their acceptance at once. A rep at either cap is skipped like one out of office.
 */
const leadCap = z.number({ error: 'expected a whole number of leads' }).int('expected a whole number of leads').nonnegative('a cap cannot be negative');
const capacitySchema = z.strictObject({ maxNewPerDay: leadCap.optional(), maxAwaiting: leadCap.optional() });
export type Capacity = z.infer<typeof capacitySchema>;

const repSchema = z.strictObject({
  /** The Salesforce User Id; left out, the worker resolves it from `email` at start ('' until then). */
  id: z
    .string()
    .regex(/^005[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?$/, 'expected a Salesforce User Id (005…, 15 or 18 characters), or no id to resolve it from the email at start')
    .optional()
    .transform((id) => id ?? ''),
  name: text,
  email: z.email(),
  /** The rep's HubSpot owner id, matching them to a HubSpot team pool's owners (left out: matched by email). */
  hubspotOwnerId: z.string().regex(/^\d+$/, 'expected a HubSpot owner id (digits)').optional(),
  weight: z.number().nonnegative().optional(),
  territories: z.array(text).optional(),
  timeZone: timeZoneSchema,
  workingHours: workingHoursSchema,
  holidays: z.array(isoDateSchema).optional(),
  outOfOffice: z.array(z.strictObject({ from: dateOrInstantSchema, to: dateOrInstantSchema })).optional(),
  channels: z.strictObject({ slack: text.optional(), teams: text.optional(), email: z.email().optional() }),
  /** This rep's own caps; a cap left out falls back to the pool's (routing.capacity). */
  capacity: capacitySchema.optional(),
});
export type Rep = z.infer<typeof repSchema>;

const fieldMappingSchema = z.strictObject({
  hubspot: text,
  salesforce: text,
  rule: z.enum(SYNC_RULES),
  valueMap: z.record(z.string(), z.string()).optional(),
});

/** Values beyond the CRMs' defaults that this portal defines, so the check knows them. */
const crmSchema = z.strictObject({
  lifecycleStages: z.array(z.strictObject({ id: text, label: text })).default([]),
  leadStatuses: z.array(text).default([]),
  salesforceStatuses: z.array(text).default([]),
  properties: z
    .array(z.strictObject({ name: text, system: z.enum(['hubspot', 'salesforce']), type: z.enum(['string', 'number', 'date', 'bool', 'enum']), meaning: text }))
    .default([]),
});

const governanceSchema = z.strictObject({
  monthlyReview: z.strictObject({ agenda: z.array(z.enum(REVIEW_AGENDA)), durationMinutes: z.number().int().positive(), chair: slug }),
  /** Small teams: a short weekly sync on top of (not instead of) the monthly review. */
  weeklySync: z.strictObject({ durationMinutes: z.number().int().positive(), owner: slug }).optional(),
  quarterlyRecalibration: z.strictObject({ owner: slug, reviews: z.array(z.enum(FEEDBACK_TARGETS)).min(1) }),
  owners: z.array(slug).min(2, 'name the owners on both sides'),
  recalibrationTrigger: z.strictObject({ metric: slug, below: z.number(), consecutiveMonths: z.number().int().positive() }),
});

const feedbackSchema = z.strictObject({
  /** Salesforce field where the rep logs the disposition of every lead. */
  dispositionField: text,
  /** Salesforce field holding the closed-lost reason on the opportunity. */
  closedLostReasonField: text,
  /** Which rejection codes feed which part of the contract at the quarterly recalibration. */
  rejectionFeeds: z.array(z.strictObject({ codes: z.array(text).min(1), informs: z.enum(FEEDBACK_TARGETS) })).min(1),
});

export const contractSchema = z.strictObject({
  version: z.number().int().positive(),
  name: text,
  owners: z.array(ownerSchema).min(2, 'name owners on both sides'),
  definitions: definitionsSchema,
  dataCompleteness: z.strictObject({ requiredProperties: z.array(text) }),
  commitments: z.array(commitmentSchema).min(1),
  handoff: handoffSchema,
  rejectionTaxonomy: z.array(rejectionReasonSchema),
  contactAttempts: z.strictObject({
    attempts: z.number().int().positive(),
    windowBusinessDays: z.number().positive(),
    channels: z.array(z.enum(CONTACT_CHANNELS)).min(1),
  }),
  routing: z.strictObject({
    policy: z.enum(['round_robin', 'weighted', 'territory']),
    reps: z.array(repSchema).min(1, 'at least one rep'),
    territoryProperty: text.optional(),
    /**
     * Priority ("hot") leads: any one predicate holding (a demo request, a high score, a named
     * account) makes the lead jump the queues. Hot leads take turns on a rotation of their own.
     */
    priorityLeads: z.array(predicateSchema).optional(),
    /** The pool's default caps, for every rep who does not set their own. */
    capacity: capacitySchema.optional(),
    /**
     * The pool kept in a CRM: a Salesforce public group or queue (by its API name), or a HubSpot team
     * (by its name or id), exactly one of the two. Its active members are the reps routing may choose;
     * the reps listed above are their profiles (hours, channels, caps). Read at start and every
     * `refreshMinutes`; a rep out of the pool, inactive (archived in HubSpot), or with
     * `outOfOfficeField` (a Salesforce User checkbox; HubSpot owners have no such field) set gets no
     * new lead, and keeps the handoffs they hold.
     */
    pool: z
      .strictObject({
        salesforceGroup: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'expected the API name (DeveloperName) of a Salesforce public group or queue').optional(),
        hubspotTeam: text.optional(),
        outOfOfficeField: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'expected a User field API name such as Out_Of_Office__c').optional(),
        refreshMinutes: z.number().positive('the pool must be read again after some minutes').default(15),
      })
      .superRefine((pool, ctx) => {
        if (pool.salesforceGroup !== undefined && pool.hubspotTeam !== undefined) {
          ctx.addIssue({ code: 'custom', path: ['hubspotTeam'], message: 'name either salesforceGroup or hubspotTeam, not both: the pool is kept in one CRM' });
        } else if (pool.salesforceGroup === undefined && pool.hubspotTeam === undefined) {
          ctx.addIssue({ code: 'custom', path: ['salesforceGroup'], message: 'name the pool: salesforceGroup (a Salesforce public group or queue) or hubspotTeam (a HubSpot team)' });
        }
        if (pool.hubspotTeam !== undefined && pool.outOfOfficeField !== undefined) {
          ctx.addIssue({ code: 'custom', path: ['outOfOfficeField'], message: 'HubSpot owners have no out-of-office field: outOfOfficeField applies to a salesforceGroup pool only (use the reps\' outOfOffice dates)' });
        }
      })
      .optional(),
  }),
  /** businessDayMinutes is derived (the longest working day), for windows counted in business days. */
  calendar: calendarSchema.transform((c) => ({ ...c, businessDayMinutes: longestWorkingDayMinutes(c.workingHours) })),
  fieldMappings: z.array(fieldMappingSchema),
  connector: z.strictObject({ cycleMinutes: z.number().positive().default(15), inclusion: z.array(predicateSchema) }),
  statusMapping: z.strictObject(Object.fromEntries(STAGES.map((s) => [s, statusTargetSchema])) as Record<Stage, typeof statusTargetSchema>),
  feedback: feedbackSchema,
  governance: governanceSchema,
  crm: crmSchema.default({ lifecycleStages: [], leadStatuses: [], salesforceStatuses: [], properties: [] }),
});

export type Contract = z.infer<typeof contractSchema>;
export type Definitions = Contract['definitions'];
export type Calendar = Contract['calendar'];
