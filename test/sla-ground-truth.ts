/**
 * The ground-truth month for the SLA figures: leads whose histories are known by construction, each
 * with the figures it must contribute written down next to it (speed in business minutes, follow-up,
 * decision, completeness, delays). Planting goes through the sandboxes' REST APIs and their admin
 * timestamp route only, never through the bridge's adapters.
 */
import { DateTime } from 'luxon';

const MIN = 60_000;
export const ZONE = 'Europe/London';

export type Channel = 'Call' | 'Email' | 'LinkedIn' | 'Meeting';
export interface PlantedTask {
  at: number;
  type: Channel;
}
export interface PlantedEpisode {
  mqlAt: number;
  assignedAt: number;
  alertedAt: number;
  lastAlertedAt?: number;
  missedBy?: string[];
  acceptedAt?: number;
  rejection?: { reason: string; at: number };
  slaMissedAt?: number;
  missingAtHandover: string[];
  /** The known answers. */
  expect: {
    /** Business minutes from first assignment to the first counted attempt; 'pending' or 'missed' without one. */
    speed: number | 'pending' | 'missed';
    /** Accepted with a closed attempt window: whether followed up; 'pending' while open; absent when not accepted. */
    followUp?: boolean | 'pending';
    decided: 'accepted' | 'rejected' | 'missed' | 'undecided';
    /** Business minutes alert → decision, when decided by the rep. */
    repMinutes?: number;
    /** Calendar minutes MQL → first alert. */
    systemMinutes: number;
    acceptanceBeforeAssignment?: boolean;
  };
}
export interface PlantedLead {
  key: string;
  source: string;
  episodes: PlantedEpisode[];
  tasks: PlantedTask[];
  opportunity?: 'Closed Won' | 'Closed Lost';
  sqlAt?: number;
}

/** Monday 10:00 London between 22 and 28 days before `now`: every planted episode sits in the 30-day window. */
export function anchorMonday(now: number): DateTime {
  const day = DateTime.fromMillis(now - 22 * 86_400_000, { zone: ZONE }).startOf('day');
  return day.minus({ days: day.weekday - 1 }).set({ hour: 10 });
}

const SOURCES = ['ORGANIC_SEARCH', 'PAID_SEARCH', 'REFERRALS'];

/** Six counted attempts across all three channels on the working days after `from` (Mon–Wed anchors). */
function fullFollowUp(from: DateTime, channels: Channel[] = ['Call', 'Email', 'LinkedIn']): PlantedTask[] {
  // Days +1, +5, +6, +7 after a Mon–Wed start are working days, Thursday of the anchor week excepted.
  return [7, 7, 8, 8, 9, 9].map((d, i) => ({ at: from.plus({ days: d }).set({ hour: 11, minute: i * 5 }).toMillis(), type: channels[i % channels.length] ?? 'Call' }));
}

export function plantMonth(now: number): { leads: PlantedLead[]; holiday: string; anchor: DateTime } {
  const A = anchorMonday(now);
  const holiday = A.plus({ days: 3 }).toISODate() ?? '';
  const leads: PlantedLead[] = [];
  const at = (d: DateTime) => d.toMillis();
  const add = (lead: Omit<PlantedLead, 'source'> & { source?: string }) => leads.push({ source: SOURCES[leads.length % SOURCES.length] ?? 'OFFLINE', ...lead });

  // 1. Accepted, first attempt within target (30 leads); follow-up varies.
  for (let i = 0; i < 30; i++) {
    const assigned = A.plus({ days: i % 3, minutes: (i % 5) * 7 });
    const speed = 5 + (i % 24);
    const follow = i % 3 === 0 ? 'full' : i % 3 === 1 ? 'two-channels' : 'few';
    const tasks: PlantedTask[] = [{ at: at(assigned.plus({ minutes: speed })), type: 'Call' }];
    if (follow === 'full') tasks.push(...fullFollowUp(assigned).slice(1));
    if (follow === 'two-channels') tasks.push(...fullFollowUp(assigned, ['Call', 'Email']).slice(1));
    if (follow === 'few') tasks.push(...fullFollowUp(assigned).slice(4));
    add({
      key: `met${i}`,
      episodes: [
        {
          mqlAt: at(assigned) - (20 + i) * MIN,
          assignedAt: at(assigned),
          alertedAt: at(assigned) + MIN,
          acceptedAt: at(assigned) + (3 + (i % 4)) * MIN,
          missingAtHandover: i < 3 ? ['jobtitle'] : [],
          expect: { speed, followUp: follow === 'full', decided: 'accepted', repMinutes: 2 + (i % 4), systemMinutes: 21 + i },
        },
      ],
      tasks,
    });
  }
  // 2. Accepted, first attempt late (15 leads).
  for (let i = 0; i < 15; i++) {
    const assigned = A.plus({ days: i % 3 });
    const speed = 45 + i * 5;
    add({
      key: `late${i}`,
      episodes: [{ mqlAt: at(assigned) - 60 * MIN, assignedAt: at(assigned), alertedAt: at(assigned) + 2 * MIN, acceptedAt: at(assigned) + 20 * MIN, missingAtHandover: [], expect: { speed, followUp: false, decided: 'accepted', repMinutes: 18, systemMinutes: 62 } }],
      tasks: [{ at: at(assigned.plus({ minutes: speed })), type: 'Email' }],
    });
  }
  // 3. A weekend and the holiday inside the window.
  const friday = A.plus({ days: 4 }).set({ hour: 16, minute: 50 });
  const wednesday = A.plus({ days: 2 }).set({ hour: 17, minute: 20 });
  const inside: Array<[string, DateTime, DateTime, number]> = [
    ['weekend', friday, A.plus({ days: 7 }).set({ hour: 9, minute: 12 }), 22],
    ['holiday-met', wednesday, A.plus({ days: 4 }).set({ hour: 9, minute: 15 }), 25],
    ['holiday-missed', wednesday, A.plus({ days: 4 }).set({ hour: 9, minute: 45 }), 55],
  ];
  for (const [key, assigned, attempt, speed] of inside) {
    add({
      key,
      episodes: [{ mqlAt: at(assigned) - 10 * MIN, assignedAt: at(assigned), alertedAt: at(assigned) + MIN, acceptedAt: at(assigned) + 6 * MIN, missingAtHandover: [], expect: { speed, followUp: false, decided: 'accepted', repMinutes: 5, systemMinutes: 11 } }],
      tasks: [{ at: at(attempt), type: 'Call' }],
    });
  }
  // 4. Rejected by the rep (10 leads); speed-to-lead counts them too.
  const reasons = ['WRONG_INDUSTRY', 'BAD_TIMING', 'NO_BUDGET_AUTHORITY', 'BAD_TIMING', 'DUPLICATE'];
  for (let i = 0; i < 10; i++) {
    const assigned = A.plus({ days: 1, hours: 1, minutes: i });
    const withAttempt = i % 2 === 0;
    add({
      key: `rejected${i}`,
      episodes: [
        {
          mqlAt: at(assigned) - 30 * MIN,
          assignedAt: at(assigned),
          alertedAt: at(assigned) + MIN,
          rejection: { reason: reasons[i % reasons.length] ?? 'BAD_TIMING', at: at(assigned) + 16 * MIN },
          missingAtHandover: i === 0 ? ['numemployees'] : [],
          expect: { speed: withAttempt ? 10 : 'missed', decided: 'rejected', repMinutes: 15, systemMinutes: 31 },
        },
      ],
      tasks: withAttempt ? [{ at: at(assigned) + 10 * MIN, type: 'Call' }] : [],
    });
  }
  // 5. Every window missed, reverted to nurture (5 leads): the reps' delay, listed per rep.
  for (let i = 0; i < 5; i++) {
    const assigned = A.plus({ days: 2, hours: 2 });
    add({
      key: `sla-missed${i}`,
      episodes: [
        {
          mqlAt: at(assigned) - 5 * MIN,
          assignedAt: at(assigned),
          alertedAt: at(assigned) + MIN,
          missedBy: ['rep-a', 'rep-b', i % 2 ? 'rep-a' : 'rep-c'],
          slaMissedAt: at(assigned) + 100 * MIN,
          missingAtHandover: [],
          expect: { speed: 'missed', decided: 'missed', systemMinutes: 6 },
        },
      ],
      tasks: [],
    });
  }
  // 6. Pending: assigned a minute ago, no attempt yet (5 leads); and 3 accepted a moment ago (open follow-up window).
  for (let i = 0; i < 5; i++) {
    const assigned = now - MIN;
    add({ key: `pending${i}`, episodes: [{ mqlAt: assigned - 2 * MIN, assignedAt: assigned, alertedAt: assigned + 1000, missingAtHandover: [], expect: { speed: 'pending', decided: 'undecided', systemMinutes: 2 } }], tasks: [] });
  }
  for (let i = 0; i < 3; i++) {
    const assigned = now - 5 * MIN;
    // Business minutes here depend on the hour the test runs: both 0 and 2 sit below every other speed and rep delay.
    add({
      key: `fresh${i}`,
      episodes: [{ mqlAt: assigned - 4 * MIN, assignedAt: assigned, alertedAt: assigned + MIN, acceptedAt: assigned + 3 * MIN, missingAtHandover: [], expect: { speed: 0, followUp: 'pending', decided: 'accepted', repMinutes: 0, systemMinutes: 5 } }],
      tasks: [{ at: assigned + 2 * MIN, type: 'Call' }],
    });
  }
  // 7. Two episodes each (5 contacts): accepted in the anchor week, MQL'd again two weeks later and rejected.
  for (let i = 0; i < 5; i++) {
    const first = A.plus({ minutes: 30 + i });
    const second = A.plus({ days: 14, minutes: 30 + i });
    add({
      key: `twice${i}`,
      episodes: [
        { mqlAt: at(first) - 15 * MIN, assignedAt: at(first), alertedAt: at(first) + MIN, acceptedAt: at(first) + 4 * MIN, missingAtHandover: [], expect: { speed: 8, followUp: false, decided: 'accepted', repMinutes: 3, systemMinutes: 16 } },
        {
          mqlAt: at(second) - 15 * MIN,
          assignedAt: at(second),
          alertedAt: at(second) + MIN,
          rejection: { reason: 'BAD_TIMING', at: at(second) + 9 * MIN },
          missingAtHandover: [],
          expect: { speed: 40, decided: 'rejected', repMinutes: 8, systemMinutes: 16 },
        },
      ],
      tasks: [
        { at: at(first) + 8 * MIN, type: 'Call' },
        { at: at(second) + 40 * MIN, type: 'Call' },
      ],
    });
  }
  // 8. Reassigned (5 leads): the first rep missed, the second accepted; speed counts from the FIRST assignment.
  for (let i = 0; i < 5; i++) {
    const assigned = A.plus({ days: 1, minutes: i });
    add({
      key: `reassigned${i}`,
      episodes: [
        {
          mqlAt: at(assigned) - 10 * MIN,
          assignedAt: at(assigned),
          alertedAt: at(assigned) + MIN,
          lastAlertedAt: at(assigned) + 31 * MIN,
          missedBy: ['rep-b'],
          acceptedAt: at(assigned) + 45 * MIN,
          missingAtHandover: [],
          expect: { speed: 40, followUp: false, decided: 'accepted', repMinutes: 14, systemMinutes: 11 },
        },
      ],
      tasks: [{ at: at(assigned) + 40 * MIN, type: 'Email' }],
    });
  }
  // 9. Acceptance dated before the assignment (2 leads): a data-quality finding, not an acceptance.
  for (let i = 0; i < 2; i++) {
    const assigned = A.plus({ days: 2, minutes: i });
    add({
      key: `early-accept${i}`,
      episodes: [{ mqlAt: at(assigned) - 10 * MIN, assignedAt: at(assigned), alertedAt: at(assigned) + MIN, acceptedAt: at(assigned) - 30 * MIN, missingAtHandover: [], expect: { speed: 12, decided: 'undecided', systemMinutes: 11, acceptanceBeforeAssignment: true } }],
      tasks: [{ at: at(assigned) + 12 * MIN, type: 'Call' }],
    });
  }
  // 10. Converted: one opportunity won, one lost.
  for (const [key, stage] of [['won', 'Closed Won'], ['lost', 'Closed Lost']] as const) {
    const assigned = A.plus({ minutes: 50 });
    add({
      key,
      source: 'REFERRALS',
      episodes: [{ mqlAt: at(assigned) - 10 * MIN, assignedAt: at(assigned), alertedAt: at(assigned) + MIN, acceptedAt: at(assigned) + 5 * MIN, missingAtHandover: [], expect: { speed: 7, followUp: true, decided: 'accepted', repMinutes: 4, systemMinutes: 11 } }],
      tasks: [{ at: at(assigned) + 7 * MIN, type: 'Call' }, ...fullFollowUp(assigned).slice(1)],
      opportunity: stage,
      sqlAt: at(assigned) + 2 * 86_400_000,
    });
  }
  // 11. A Task of a type the contract does not count (Meeting) before the first counted one.
  add({
    key: 'meeting-first',
    episodes: [{ mqlAt: at(A) - 10 * MIN, assignedAt: at(A), alertedAt: at(A) + MIN, acceptedAt: at(A) + 5 * MIN, missingAtHandover: [], expect: { speed: 35, followUp: false, decided: 'accepted', repMinutes: 4, systemMinutes: 11 } }],
    tasks: [
      { at: at(A) + 4 * MIN, type: 'Meeting' },
      { at: at(A) + 35 * MIN, type: 'Call' },
    ],
  });
  return { leads, holiday, anchor: A };
}
