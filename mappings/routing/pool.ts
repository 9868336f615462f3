/**
 * Routing pools kept in a CRM (a Salesforce public group or queue, or a HubSpot team): who the snapshot
 * lets routing choose, and what changed between two reads (for the log, `leads stuck` and `sla check
 * --live`). Pure.
 */
import { Findings, type Finding, type Rep } from '../contract';
import type { RotationPolicy } from './rotation-policy';

export type PoolCrm = 'salesforce' | 'hubspot';

export interface PoolMemberState {
  /** The Salesforce User Id, or the HubSpot owner id. */
  id: string;
  name: string;
  /** HubSpot owners only: how a rep without `hubspotOwnerId` is matched. */
  email?: string;
  /** False for an inactive Salesforce user or an archived HubSpot owner. */
  isActive: boolean;
  outOfOffice: boolean;
}

export interface PoolSnapshot {
  /** Where the pool is kept (left out by snapshots taken before HubSpot teams: Salesforce). */
  crm?: PoolCrm;
  /** The group's API name, or the team's name or id, as the contract gives it. */
  group: string;
  readAt: string;
  /** Null when the CRM has no such group or team (then nobody is in the pool). */
  groupId: string | null;
  members: PoolMemberState[];
}

/** What a rep carries that matches them to a pool member. */
export type PoolRep = Pick<Rep, 'id' | 'name' | 'email' | 'hubspotOwnerId'>;

/** Salesforce ids are compared on their case-sensitive 15-character form (18 adds a checksum). */
const id15 = (id: string): string => id.slice(0, 15);
const crmOf = (snapshot: PoolSnapshot): PoolCrm => snapshot.crm ?? 'salesforce';
const sameEmail = (a: string | undefined, b: string): boolean => a !== undefined && a.toLowerCase() === b.toLowerCase();
/** A member's identity across reads: Salesforce's 15-character id, HubSpot's owner id. */
const memberKey = (snapshot: PoolSnapshot, m: PoolMemberState): string => (crmOf(snapshot) === 'salesforce' ? id15(m.id) : m.id);

const LABELS = {
  salesforce: { crm: 'Salesforce', group: 'group', inactive: 'inactive in Salesforce', deactivated: 'deactivated in Salesforce', reactivated: 'reactivated in Salesforce' },
  hubspot: { crm: 'HubSpot', group: 'team', inactive: 'archived in HubSpot', deactivated: 'archived in HubSpot', reactivated: 'unarchived in HubSpot' },
} as const;

/** The pool member the rep is: by Salesforce User Id, or by HubSpot owner id (else email). */
export function poolMemberOf(rep: PoolRep, snapshot: PoolSnapshot): PoolMemberState | undefined {
  if (crmOf(snapshot) === 'salesforce') return snapshot.members.find((m) => id15(m.id) === id15(rep.id));
  if (rep.hubspotOwnerId !== undefined) return snapshot.members.find((m) => m.id === rep.hubspotOwnerId);
  return snapshot.members.find((m) => sameEmail(m.email, rep.email));
}

/** Why a rep listed in the contract may not get new leads under the snapshot, or undefined. */
export function poolExclusion(rep: PoolRep, snapshot: PoolSnapshot): string | undefined {
  const label = LABELS[crmOf(snapshot)];
  if (snapshot.groupId === null) return `${label.crm} has no ${label.group} ${snapshot.group}`;
  const member = poolMemberOf(rep, snapshot);
  if (!member) return `not a member of ${snapshot.group}`;
  if (!member.isActive) return label.inactive;
  if (member.outOfOffice) return `out of office in ${label.crm}`;
  return undefined;
}

/** The contract's reps the pool keeps from new leads, each with why. */
export function poolExclusions(reps: readonly PoolRep[], snapshot: PoolSnapshot): Array<{ id: string; name: string; reason: string }> {
  return reps.flatMap((rep) => {
    const reason = poolExclusion(rep, snapshot);
    return reason === undefined ? [] : [{ id: rep.id, name: rep.name, reason }];
  });
}

/**
 * Whether the new read lets some contract rep take new leads who could not under the previous one (a
 * member joined, was reactivated or came back in office): leads waiting for a rep are worth waking.
 */
export function poolGained(reps: readonly PoolRep[], before: PoolSnapshot | undefined, after: PoolSnapshot): boolean {
  return reps.some((rep) => poolExclusion(rep, after) === undefined && (before === undefined || poolExclusion(rep, before) !== undefined));
}

/**
 * The policy with only the reps the pool lets take new leads (their open handoffs are not touched).
 * `reps` are the contract's (the policy's reps carry no email nor HubSpot owner id).
 */
export function restrictToPool(policy: RotationPolicy, snapshot: PoolSnapshot, reps: readonly PoolRep[]): RotationPolicy {
  // A rep of a pinned older contract version that the current one no longer lists is matched on
  // their Salesforce id alone (so never to a HubSpot owner: kept out of a team pool).
  const profile = (rep: { id: string; name: string }): PoolRep => reps.find((r) => r.id === rep.id) ?? { id: rep.id, name: rep.name, email: '' };
  return { ...policy, reps: policy.reps.filter((rep) => poolExclusion(profile(rep), snapshot) === undefined) };
}

/** One line per change between two reads: joined, left, deactivated (archived), reactivated, out of office, back. */
export function poolChanges(before: PoolSnapshot | undefined, after: PoolSnapshot): string[] {
  const label = LABELS[crmOf(after)];
  const was = new Map((before?.members ?? []).map((m) => [memberKey(after, m), m]));
  const now = new Map(after.members.map((m) => [memberKey(after, m), m]));
  const lines: string[] = [];
  if (before && before.groupId !== after.groupId) {
    lines.push(after.groupId === null ? `${label.group} ${after.group} no longer exists in ${label.crm}` : `${label.group} ${after.group} found (${after.groupId})`);
  }
  for (const [id, m] of now) {
    const old = was.get(id);
    if (!old) lines.push(`${m.name} (${m.id}) joined ${after.group}${m.isActive ? '' : ` (${label.inactive})`}${m.outOfOffice ? ' (out of office)' : ''}`);
    else {
      if (old.isActive !== m.isActive) lines.push(`${m.name} (${m.id}) ${m.isActive ? label.reactivated : label.deactivated}`);
      if (old.outOfOffice !== m.outOfOffice) lines.push(`${m.name} (${m.id}) ${m.outOfOffice ? 'out of office' : 'back in office'}`);
    }
  }
  for (const [id, m] of was) if (!now.has(id)) lines.push(`${m.name} (${m.id}) left ${after.group}`);
  return lines;
}

/**
 * `sla check --live` on the pool: an unknown group or team is an error; a listed rep the pool keeps
 * from new leads, and a member with no profile in the contract (no hours, no channels: never routed),
 * warnings.
 */
export function poolFindings(reps: readonly PoolRep[], snapshot: PoolSnapshot): Finding[] {
  const findings = new Findings();
  const hubspot = crmOf(snapshot) === 'hubspot';
  if (snapshot.groupId === null) {
    if (hubspot) findings.error('routing.pool.hubspotTeam', `no HubSpot owner is on a team named or numbered "${snapshot.group}": nobody would get new leads`);
    else findings.error('routing.pool.salesforceGroup', `Salesforce has no public group or queue with API name "${snapshot.group}": nobody would get new leads`);
    return findings.list;
  }
  reps.forEach((rep, i) => {
    const why = poolExclusion(rep, snapshot);
    if (why) findings.warn(`routing.reps.${i}`, `${rep.name} gets no new leads from the pool: ${why} (their open handoffs keep their clocks)`);
  });
  for (const m of snapshot.members) {
    if (!reps.some((rep) => poolMemberOf(rep, { ...snapshot, members: [m] }))) {
      findings.warn('routing.reps', `${m.name} (${m.id}) is in ${snapshot.group} but has no profile in routing.reps (hours, channels): not routed`);
    }
  }
  if (hubspot) findings.warn('routing.pool.hubspotTeam', 'HubSpot owners have no out-of-office field: the pool cannot see a rep away; only their routing.reps outOfOffice dates keep them from new leads');
  const eligible = reps.filter((rep) => poolExclusion(rep, snapshot) === undefined).length;
  if (eligible === 0) findings.error('routing.pool', `no rep of the contract is an active, in-office member of ${snapshot.group}: nobody would get new leads`);
  return findings.list;
}
