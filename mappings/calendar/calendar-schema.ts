/**
 * Working hours, time zones and dates as the contract writes them: shared by the business calendar
 * and each rep's own hours.
 */
import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';
import { WEEKDAYS, type Weekday } from './weekdays';

export { WEEKDAYS, type Weekday };

/** `HH:MM` on a 24-hour clock; `24:00` closes a day that works until midnight. */
export const timeOfDaySchema = z.string().regex(/^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/, 'expected a time of day as HH:MM (00:00 to 24:00)');

export const timeZoneSchema = z.string().refine((zone) => IANAZone.isValidZone(zone), 'expected an IANA time zone such as Europe/London');

export const isoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .refine((d) => DateTime.fromISO(d).isValid, 'not a real calendar date');

/** A date (whole day) or an ISO instant with an offset. */
export const dateOrInstantSchema = z.union([
  isoDateSchema,
  z.string().refine((s) => /T/.test(s) && DateTime.fromISO(s, { setZone: true }).isValid, 'expected YYYY-MM-DD or an ISO instant'),
]);

const intervalSchema = z
  .tuple([timeOfDaySchema, timeOfDaySchema])
  .refine(([from, to]) => from < to, 'a working interval must end after it starts');

/** Per weekday, the working intervals (a missing or empty day is not worked). */
export const workingHoursSchema = z.strictObject(
  Object.fromEntries(WEEKDAYS.map((d) => [d, z.array(intervalSchema).optional()])) as Record<Weekday, z.ZodOptional<z.ZodArray<typeof intervalSchema>>>,
);
export type WorkingHours = z.infer<typeof workingHoursSchema>;

export const calendarSchema = z.strictObject({
  timeZone: timeZoneSchema,
  workingHours: workingHoursSchema,
  holidays: z.array(isoDateSchema).default([]),
});
export type CalendarSpec = z.infer<typeof calendarSchema>;
