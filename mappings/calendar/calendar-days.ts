/**
 * Windows counted in working days rather than working minutes: "ten business days" ends at the same
 * clock time on the tenth working day after the start, whatever that day's hours (a short Friday
 * counts as a whole day, a holiday or weekend not at all). Pure.
 */
import { DateTime } from 'luxon';
import { addBusinessMinutes, type BusinessCalendar } from './calendar';
import { WEEKDAYS } from './weekdays';
import { zoneOf } from './zones';

const MAX_DAYS = 3660;

function isWorkingDay(day: DateTime, calendar: BusinessCalendar): boolean {
  if ((calendar.holidays ?? []).includes(day.toISODate() ?? '')) return false;
  const weekday = WEEKDAYS[day.weekday - 1];
  return weekday !== undefined && (calendar.workingHours[weekday] ?? []).length > 0;
}

/** The same local clock time as `start`, on the `days`-th working day after start's own day. */
export function sameTimeOnWorkingDay(start: Date, days: number, calendar: BusinessCalendar): Date {
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`sameTimeOnWorkingDay: days must be a non-negative integer, got ${days}`);
  const local = DateTime.fromJSDate(start, { zone: zoneOf(calendar.timeZone) });
  let day = local.startOf('day');
  for (let counted = 0, step = 0; counted < days; step++) {
    if (step > MAX_DAYS) throw new RangeError(`sameTimeOnWorkingDay: no ${days} working days within ${MAX_DAYS} days of ${start.toISOString()}`);
    day = day.plus({ days: 1 });
    if (isWorkingDay(day, calendar)) counted++;
  }
  return day.set({ hour: local.hour, minute: local.minute, second: local.second, millisecond: local.millisecond }).toJSDate();
}

/**
 * The end of a window of `days` working days from `start`: the same clock time on the N-th working
 * day. A fractional part (a contract with compressed clocks, such as the demo's) adds that share of a
 * business day in business minutes after it.
 */
export function workingDaysWindowEnd(start: Date, days: number, calendar: BusinessCalendar & { businessDayMinutes: number }): Date {
  const whole = Math.floor(days);
  const end = sameTimeOnWorkingDay(start, whole, calendar);
  const fraction = days - whole;
  return fraction > 0 ? addBusinessMinutes(end, fraction * calendar.businessDayMinutes, calendar) : end;
}
