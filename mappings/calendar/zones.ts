/**
 * IANA time zones whose UTC offsets are remembered by the hour. Luxon asks a zone for its offset
 * several times per operation (a local time to an instant takes two or three), and an IANA zone
 * answers each by formatting the instant with Intl. Under a burst that was most of the routing
 * queue's work (every rep's working hours, day and out-of-office for every lead) and a good part of a
 * handoff's deadline. Pure and deterministic: an offset is a function of the zone and the instant.
 *
 * An hour whose first and last millisecond have the same offset has it throughout: no zone changes
 * its offset twice within one hour. An hour holding a change is answered exactly, every time.
 */
import { IANAZone, type Zone } from 'luxon';

const HOUR_MS = 3_600_000;
/** Hours remembered per zone before starting afresh (a year of hours; a burst touches a handful). */
const HOURS_KEPT = 8_784;

class HourlyOffsetZone extends IANAZone {
  /** Hour index → its offset in minutes, or null when the offset changes within the hour. */
  private readonly hours = new Map<number, number | null>();

  override offset(ts: number): number {
    const hour = Math.floor(ts / HOUR_MS);
    if (!Number.isFinite(hour)) return super.offset(ts);
    let known = this.hours.get(hour);
    if (known === undefined) {
      const first = super.offset(hour * HOUR_MS);
      known = first === super.offset((hour + 1) * HOUR_MS - 1) ? first : null;
      if (this.hours.size >= HOURS_KEPT) this.hours.clear();
      this.hours.set(hour, known);
    }
    return known ?? super.offset(ts);
  }
}

const zones = new Map<string, Zone>();

/**
 * The zone to hand luxon for an IANA name (`{ zone: zoneOf(name) }`); a name luxon does not know is
 * returned as it is, so luxon reports it as it always has.
 */
export function zoneOf(name: string): Zone | string {
  const known = zones.get(name);
  if (known) return known;
  if (!IANAZone.isValidZone(name)) return name;
  const zone = new HourlyOffsetZone(name);
  zones.set(name, zone);
  return zone;
}
