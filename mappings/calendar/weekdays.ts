/**
 * The days a working-hours table is keyed by, Monday first (luxon's `weekday` 1..7). Kept apart from
 * the calendar schema (zod) because the business-calendar math runs inside workflows.
 */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
