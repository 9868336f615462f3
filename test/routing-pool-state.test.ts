/**
 * The routing pool as the routing queue records it (pure): replicas' reports of one read are one,
 * the change list stays bounded, and a HubSpot team's reps are matched by owner id, else by email.
 */
import { describe, expect, it } from 'vitest';
import { POOL_CHANGES_KEPT, poolReportOf, recordPoolReport, type PoolRep, type PoolSnapshot } from '../mappings/routing';

const reps: PoolRep[] = [
  { id: '005A00000000001', name: 'Ann', email: 'ann@example.com' },
  { id: '005A00000000002', name: 'Bo', email: 'bo@example.com', hubspotOwnerId: '12' },
  { id: '005A00000000003', name: 'Cy', email: 'cy@example.com' },
];
const member = (id: string, name: string, email: string, isActive = true) => ({ id, name, email, isActive, outOfOffice: false });
const team = (members: PoolSnapshot['members'], readAt = '2026-12-04T10:00:00.000Z'): PoolSnapshot => ({ crm: 'hubspot', group: 'SDRs', groupId: '7', readAt, members });

describe('the routing pool record', () => {
  it('matches HubSpot owners by owner id, else email, and says why a rep is kept out', () => {
    // Bo's email is on owner 11, but Bo names owner 12 (archived): the id wins.
    const report = poolReportOf(team([member('10', 'Ann', 'ANN@example.com'), member('11', 'Bo B', 'bo@example.com'), member('12', 'Bo', 'other@example.com', false)]), reps);
    expect(report.routable).toEqual([{ id: '005A00000000001', name: 'Ann' }]);
    expect(report.excluded).toEqual([
      { id: '005A00000000002', name: 'Bo', reason: 'archived in HubSpot' },
      { id: '005A00000000003', name: 'Cy', reason: 'not a member of SDRs' },
    ]);
    // Emails are not carried into the record (matching happened in the worker).
    expect(report.snapshot.members.every((m) => m.email === undefined)).toBe(true);
  });

  it('records one read once however many replicas report it, in whatever order they list members', () => {
    const a = poolReportOf(team([member('10', 'Ann', 'ann@example.com'), member('12', 'Bo', 'bo@example.com')]), reps);
    const b = poolReportOf(team([member('12', 'Bo', 'bo@example.com'), member('10', 'Ann', 'ann@example.com')], '2026-12-04T10:00:01.000Z'), reps);
    expect(b.digest).toBe(a.digest);
    const first = recordPoolReport(undefined, a);
    expect(recordPoolReport(first, b)).toBe(first);
    expect(first.changes).toEqual([{ at: '2026-12-04T10:00:00.000Z', change: 'read HubSpot team SDRs: 2 member(s), 2 rep(s) routable, 1 kept out' }]);

    const left = recordPoolReport(first, poolReportOf(team([member('12', 'Bo', 'bo@example.com')], '2026-12-04T10:15:00.000Z'), reps));
    expect(left.changes.slice(1).map((c) => c.change)).toEqual(['Ann (10) left SDRs', 'Ann gets no new leads: not a member of SDRs']);
  });

  it(`keeps the last ${POOL_CHANGES_KEPT} changes, newest last`, () => {
    let state = recordPoolReport(undefined, poolReportOf(team([]), reps));
    for (let i = 0; i < 60; i++) {
      const at = new Date(Date.UTC(2026, 11, 4, 11, i)).toISOString();
      state = recordPoolReport(state, poolReportOf(team(i % 2 === 0 ? [member('10', 'Ann', 'ann@example.com')] : [], at), reps));
    }
    // Each of the 60 reads changes two lines (Ann joins or leaves, and her standing): 121 in all.
    expect(state.changes).toHaveLength(50);
    expect(state.changes.at(-1)).toEqual({ at: '2026-12-04T11:59:00.000Z', change: 'Ann gets no new leads: not a member of SDRs' });
  });
});
