import { describe, expect, it } from 'vitest';
import { addBusinessMinutes, businessMinutesBetween, isWorkingTime, type BusinessCalendar, type WorkingHours, workingDaysWindowEnd } from '../mappings/calendar';

const weekdays = (from: string, to: string, friTo = to): WorkingHours => ({
  mon: [[from, to]],
  tue: [[from, to]],
  wed: [[from, to]],
  thu: [[from, to]],
  fri: [[from, friTo]],
});
const london: BusinessCalendar = { timeZone: 'Europe/London', workingHours: weekdays('09:00', '17:30', '17:00'), holidays: ['2026-12-25', '2026-12-28'] };
const newYork: BusinessCalendar = { timeZone: 'America/New_York', workingHours: weekdays('09:00', '17:00') };
const allDay: WorkingHours = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['00:00', '24:00']]]));
const at = (iso: string) => new Date(iso);

describe('addBusinessMinutes', () => {
  it('carries a lead arriving Friday 16:50 with a 30-minute window to Monday 09:20', () => {
    expect(addBusinessMinutes(at('2026-11-20T16:50:00Z'), 30, london).toISOString()).toBe('2026-11-23T09:20:00.000Z');
  });

  it('skips holidays as well as the weekend', () => {
    // Thursday 24 December; Friday 25th and Monday 28th are holidays.
    expect(addBusinessMinutes(at('2026-12-24T17:20:00Z'), 30, london).toISOString()).toBe('2026-12-29T09:20:00.000Z');
  });

  it('lands on local 09:20 after the spring DST change (an hour earlier in UTC)', () => {
    // Friday 27 March 2026 16:50 GMT; clocks go forward on Sunday 29 March.
    expect(addBusinessMinutes(at('2026-03-27T16:50:00Z'), 30, london).toISOString()).toBe('2026-03-30T08:20:00.000Z');
  });

  it('lands on local 09:20 after the autumn DST change (an hour later in UTC)', () => {
    // Friday 23 October 2026 16:50 BST = 15:50 UTC; clocks go back on Sunday 25 October.
    expect(addBusinessMinutes(at('2026-10-23T15:50:00Z'), 30, london).toISOString()).toBe('2026-10-26T09:20:00.000Z');
  });

  it('counts real elapsed minutes across the hour that does not exist in spring', () => {
    const calendar: BusinessCalendar = { timeZone: 'Europe/London', workingHours: allDay };
    // 00:30 GMT + 60 minutes = 01:30 UTC, which reads 02:30 BST.
    expect(addBusinessMinutes(at('2026-03-29T00:30:00Z'), 60, calendar).toISOString()).toBe('2026-03-29T01:30:00.000Z');
  });

  it('counts real elapsed minutes across the hour that repeats in autumn', () => {
    const calendar: BusinessCalendar = { timeZone: 'Europe/London', workingHours: allDay };
    // 00:30 BST (23:30 UTC the day before) + 120 minutes = 01:30 UTC = 01:30 GMT.
    expect(addBusinessMinutes(at('2026-10-24T23:30:00Z'), 120, calendar).toISOString()).toBe('2026-10-25T01:30:00.000Z');
  });

  it('uses the calendar’s own zone: 16:50 in New York on a Friday is Monday 09:20 there', () => {
    expect(addBusinessMinutes(at('2026-11-20T21:50:00Z'), 30, newYork).toISOString()).toBe('2026-11-23T14:20:00.000Z');
  });

  it('starts counting at opening time when the lead arrives outside working hours', () => {
    expect(addBusinessMinutes(at('2026-11-21T10:00:00Z'), 30, london).toISOString()).toBe('2026-11-23T09:30:00.000Z');
    expect(addBusinessMinutes(at('2026-11-23T06:00:00Z'), 30, london).toISOString()).toBe('2026-11-23T09:30:00.000Z');
  });

  it('skips a lunch break between two intervals', () => {
    const calendar: BusinessCalendar = { timeZone: 'Europe/Berlin', workingHours: { mon: [['08:30', '12:30'], ['13:30', '17:30']] } };
    // Monday 23 November 12:20 CET (11:20 UTC) + 30 = 13:50 CET.
    expect(addBusinessMinutes(at('2026-11-23T11:20:00Z'), 30, calendar).toISOString()).toBe('2026-11-23T12:50:00.000Z');
  });

  it('returns the start itself for zero minutes and refuses negative ones', () => {
    expect(addBusinessMinutes(at('2026-11-21T10:00:00Z'), 0, london).toISOString()).toBe('2026-11-21T10:00:00.000Z');
    expect(() => addBusinessMinutes(at('2026-11-21T10:00:00Z'), -5, london)).toThrow(RangeError);
  });

  it('refuses a calendar with no working time instead of looping forever', () => {
    expect(() => addBusinessMinutes(at('2026-11-21T10:00:00Z'), 30, { timeZone: 'UTC', workingHours: {} })).toThrow(/no working time/);
  });
});

describe('businessMinutesBetween', () => {
  it('counts only working minutes, across a weekend and both ways', () => {
    expect(businessMinutesBetween(at('2026-11-20T16:50:00Z'), at('2026-11-23T09:20:00Z'), london)).toBe(30);
    expect(businessMinutesBetween(at('2026-11-23T09:20:00Z'), at('2026-11-20T16:50:00Z'), london)).toBe(-30);
  });

  it('is the inverse of addBusinessMinutes, holidays and DST included', () => {
    for (const [start, minutes] of [['2026-12-24T12:00:00Z', 400], ['2026-03-26T10:00:00Z', 1500], ['2026-10-22T08:00:00Z', 2222]] as const) {
      const end = addBusinessMinutes(at(start), minutes, london);
      expect(businessMinutesBetween(at(start), end, london)).toBe(minutes);
    }
  });
});

describe('isWorkingTime', () => {
  it('reads a rep’s hours in the rep’s own zone, whatever the business calendar', () => {
    // 16 March 2026: New York is already on daylight time (UTC-4), London is not yet (UTC+0).
    expect(isWorkingTime(at('2026-03-16T13:00:00Z'), newYork.workingHours, 'America/New_York')).toBe(true);
    expect(isWorkingTime(at('2026-03-16T12:59:00Z'), newYork.workingHours, 'America/New_York')).toBe(false);
    expect(isWorkingTime(at('2026-03-16T12:59:00Z'), london.workingHours, 'Europe/London')).toBe(true);
  });

  it('treats the closing minute as outside and holidays as closed', () => {
    expect(isWorkingTime(at('2026-11-20T17:00:00Z'), london.workingHours, 'Europe/London')).toBe(false);
    expect(isWorkingTime(at('2026-12-28T10:00:00Z'), london.workingHours, 'Europe/London', ['2026-12-28'])).toBe(false);
    expect(isWorkingTime(at('2026-12-29T10:00:00Z'), london.workingHours, 'Europe/London', ['2026-12-28'])).toBe(true);
  });
});

describe('workingDaysWindowEnd', () => {
  const londonDays = { ...london, businessDayMinutes: 510 };
  it('ends ten working days later at the same clock time, skipping the weekend and two holidays', () => {
    // Monday 14 Dec 11:00 → working days 15,16,17,18,21,22,23,24,29,30 (25th, 28th holidays): Wed 30 Dec 11:00.
    expect(workingDaysWindowEnd(at('2026-12-14T11:00:00Z'), 10, londonDays).toISOString()).toBe('2026-12-30T11:00:00.000Z');
  });

  it('adds a fractional day as that share of a business day in business minutes (compressed demo clocks)', () => {
    // Half of a 510-minute day is 255 minutes: Monday 16:00 + 90 minutes to 17:30, then 165 on Tuesday from 09:00 → 11:45.
    expect(workingDaysWindowEnd(at('2026-11-23T16:00:00Z'), 0.5, londonDays).toISOString()).toBe('2026-11-24T11:45:00.000Z');
    // 1.5 days: Tuesday 16:00, then 255 business minutes → Wednesday 11:45.
    expect(workingDaysWindowEnd(at('2026-11-23T16:00:00Z'), 1.5, londonDays).toISOString()).toBe('2026-11-25T11:45:00.000Z');
  });
});
