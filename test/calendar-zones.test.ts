/**
 * zoneOf's zones remember offsets by the hour; every offset must be the one luxon's own IANA zone
 * gives, at and around each change of every kind (an hour, half an hour, a negative DST, offsets of
 * :30 and :45), and the dates built on them the same.
 */
import { DateTime, IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import { zoneOf } from '../mappings/calendar';

const ZONES = ['America/New_York', 'Europe/London', 'Europe/Dublin', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/St_Johns', 'Pacific/Chatham', 'Africa/Casablanca', 'America/Santiago', 'Asia/Tokyo'];
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const STEADY = new Set(['Asia/Tokyo', 'Asia/Kathmandu']);

/** The instants in [from, to) where `zone`'s offset changes: day by day, then the minute within the day. */
function changes(zone: IANAZone, from: number, to: number): number[] {
  const found: number[] = [];
  for (let day = from; day < to; day += DAY) {
    if (zone.offset(day) === zone.offset(day + DAY)) continue;
    for (let m = day; m < day + DAY; m += 60_000) if (zone.offset(m) !== zone.offset(m + 60_000)) found.push(m + 60_000);
  }
  return found;
}

describe('zoneOf', () => {
  it('gives every offset luxon computes, at, just before and just after each change from 2025 to 2028', () => {
    const from = Date.UTC(2025, 0, 1);
    const to = Date.UTC(2028, 0, 1);
    for (const name of ZONES) {
      const exact = new IANAZone(name);
      const cached = zoneOf(name);
      if (typeof cached === 'string') throw new Error(`${name} is a valid zone`);
      const instants = changes(exact, from, to);
      if (STEADY.has(name)) expect(instants, `${name} keeps its offset`).toEqual([]);
      else expect(instants.length, `${name} changes its offset`).toBeGreaterThanOrEqual(4);
      for (const t of instants.flatMap((c) => [c - HOUR, c - 1, c, c + 1, c + 30 * 60_000, c + HOUR - 1])) {
        expect(cached.offset(t), `${name} at ${new Date(t).toISOString()}`).toBe(exact.offset(t));
      }
      // And hour by hour (each asked twice, the second answer from memory) with a stride that visits every minute of the hour.
      for (let t = from; t < to; t += 13 * HOUR + 61_001) {
        expect(cached.offset(t), `${name} at ${new Date(t).toISOString()}`).toBe(exact.offset(t));
        expect(cached.offset(t)).toBe(exact.offset(t));
      }
    }
  });

  it('builds the same dates as the zone name does, across the changes', () => {
    for (const name of ZONES) {
      for (const start of [Date.UTC(2026, 2, 6, 12), Date.UTC(2026, 2, 27, 23), Date.UTC(2026, 9, 24, 18), Date.UTC(2026, 3, 3, 10)]) {
        const local = DateTime.fromMillis(start, { zone: zoneOf(name) });
        const named = DateTime.fromMillis(start, { zone: name });
        for (let days = 0; days < 3; days++) {
          const at = (dt: DateTime) => dt.startOf('day').plus({ days }).set({ hour: 2, minute: 30 });
          expect(at(local).toISO()).toBe(at(named).toISO());
          expect(at(local).toMillis()).toBe(at(named).toMillis());
        }
        expect(local.zoneName).toBe(name);
        expect(local.toISODate()).toBe(named.toISODate());
      }
    }
  });

  it('returns a name luxon does not know as it is, and one zone per name', () => {
    expect(zoneOf('Mars/Olympus_Mons')).toBe('Mars/Olympus_Mons');
    expect(DateTime.fromMillis(0, { zone: zoneOf('Mars/Olympus_Mons') }).isValid).toBe(false);
    expect(zoneOf('Europe/Paris')).toBe(zoneOf('Europe/Paris'));
  });
});
