/**
 * Business-calendar math: deadlines N working minutes after an instant, in the calendar's own time
 * zone, across weekends, holidays and DST changes. Pure (no clock reads): safe in the workflow sandbox.
 *
 * Working intervals are wall-clock times in the zone; the minutes counted inside them are real
 * elapsed minutes, so an interval that spans a DST jump counts the hour that actually passed.
 */
import { DateTime } from 'luxon';
import type { WorkingHours } from './calendar-schema';
import { WEEKDAYS } from './weekdays';
import { zoneOf } from './zones';

export interface BusinessCalendar {
  timeZone: string;
  workingHours: WorkingHours;
  holidays?: readonly string[];
}

/** A calendar with no working time would make every deadline infinite: stop after a year of nothing. */
const MAX_IDLE_DAYS = 366;
const MINUTE_MS = 60_000;

function atTimeOfDay(day: DateTime, time: string): DateTime {
  if (time === '24:00') return day.plus({ days: 1 }).startOf('day');
  const [hour, minute] = time.split(':').map(Number);
  return day.set({ hour: hour ?? 0, minute: minute ?? 0, second: 0, millisecond: 0 });
}

/** The working intervals of the local day that starts at `day` (start of day in the zone). */
function workingIntervals(day: DateTime, workingHours: WorkingHours, holidays: ReadonlySet<string>): Array<[DateTime, DateTime]> {
  if (holidays.has(day.toISODate() ?? '')) return [];
  const weekday = WEEKDAYS[day.weekday - 1];
  const intervals = weekday ? (workingHours[weekday] ?? []) : [];
  return intervals.map(([from, to]) => [atTimeOfDay(day, from), atTimeOfDay(day, to)]);
}

function localDay(at: Date, timeZone: string): DateTime {
  return DateTime.fromJSDate(at, { zone: zoneOf(timeZone) }).startOf('day');
}

/** The instant `minutes` working minutes after `start`. Zero minutes returns `start` itself. */
export function addBusinessMinutes(start: Date, minutes: number, calendar: BusinessCalendar): Date {
  if (!Number.isFinite(minutes) || minutes < 0) throw new RangeError(`addBusinessMinutes: minutes must be a non-negative number, got ${minutes}`);
  let remainingMs = minutes * MINUTE_MS;
  if (remainingMs === 0) return new Date(start.getTime());
  const holidays = new Set(calendar.holidays ?? []);
  let day = localDay(start, calendar.timeZone);
  for (let idle = 0; idle <= MAX_IDLE_DAYS; day = day.plus({ days: 1 })) {
    const intervals = workingIntervals(day, calendar.workingHours, holidays);
    let worked = false;
    for (const [from, to] of intervals) {
      const begin = Math.max(from.toMillis(), start.getTime());
      const available = to.toMillis() - begin;
      if (available <= 0) continue;
      worked = true;
      if (remainingMs <= available) return new Date(begin + remainingMs);
      remainingMs -= available;
    }
    idle = worked ? 0 : idle + 1;
  }
  throw new RangeError(`addBusinessMinutes: the calendar in ${calendar.timeZone} has no working time for ${MAX_IDLE_DAYS} days after ${start.toISOString()}`);
}

/** Working minutes between two instants (negative when b is before a); fractions of a minute are kept. */
export function businessMinutesBetween(a: Date, b: Date, calendar: BusinessCalendar): number {
  if (b.getTime() < a.getTime()) return -businessMinutesBetween(b, a, calendar);
  const holidays = new Set(calendar.holidays ?? []);
  let totalMs = 0;
  const lastDay = localDay(b, calendar.timeZone);
  for (let day = localDay(a, calendar.timeZone); day <= lastDay; day = day.plus({ days: 1 })) {
    for (const [from, to] of workingIntervals(day, calendar.workingHours, holidays)) {
      const overlap = Math.min(to.toMillis(), b.getTime()) - Math.max(from.toMillis(), a.getTime());
      if (overlap > 0) totalMs += overlap;
    }
  }
  return totalMs / MINUTE_MS;
}

/** Whether `at` falls inside working hours (start inclusive, end exclusive) in `timeZone`. */
export function isWorkingTime(at: Date, workingHours: WorkingHours, timeZone: string, holidays: readonly string[] = []): boolean {
  const t = at.getTime();
  return workingIntervals(localDay(at, timeZone), workingHours, new Set(holidays)).some(([from, to]) => from.toMillis() <= t && t < to.toMillis());
}

/**
 * The first working instant at or after `at` (`at` itself when it is working time), or undefined when
 * the hours have no working time for a year.
 */
export function nextWorkingInstant(at: Date, workingHours: WorkingHours, timeZone: string, holidays: readonly string[] = []): Date | undefined {
  const off = new Set(holidays);
  let day = localDay(at, timeZone);
  for (let i = 0; i <= MAX_IDLE_DAYS; i++, day = day.plus({ days: 1 })) {
    for (const [from, to] of workingIntervals(day, workingHours, off)) {
      if (to.toMillis() > at.getTime()) return new Date(Math.max(from.toMillis(), at.getTime()));
    }
  }
  return undefined;
}

/** Working minutes in the longest day of the week: what "one business day" means for attempt windows. */
export function longestWorkingDayMinutes(workingHours: WorkingHours): number {
  const perDay = WEEKDAYS.map((d) =>
    (workingHours[d] ?? []).reduce((sum, [from, to]) => sum + minutesOfDay(to) - minutesOfDay(from), 0),
  );
  return Math.max(0, ...perDay);
}

/** Working minutes in a week (wall clock): zero means deadlines can never be met. */
export function weeklyWorkingMinutes(workingHours: WorkingHours): number {
  return WEEKDAYS.flatMap((d) => workingHours[d] ?? []).reduce((sum, [from, to]) => sum + minutesOfDay(to) - minutesOfDay(from), 0);
}

function minutesOfDay(time: string): number {
  const [hour, minute] = time.split(':').map(Number);
  return (hour ?? 0) * 60 + (minute ?? 0);
}
