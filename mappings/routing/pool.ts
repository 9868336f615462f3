/**
 * Routing pools kept in the CRM: who the snapshot lets routing choose, and what changed between two
 * reads (for the log, `leads stuck` and `sla check --live`). Pure.
 */
import { Findings, type Finding } from '../contract';
import type { RotationPolicy } from './rotation-policy';

export interface PoolMemberState {
  id: string;
  name: string;
  isActive: boolean;
  outOfOffice: boolean;
}

export interface PoolSnapshot {
  /** The group's API name, as the contract gives it. */
  group: string;
  readAt: string;
  /** Null when Salesforce has no such group (then nobody is in the pool). */
  groupId: string | null;
  members: PoolMemberState[];
}

/** Salesforce ids are compared on their case-sensitive 15-character form (18 adds a checksum). */
const id15 = (id: string): string => id.slice(0, 15);

/** Why a rep listed in the contract may not get new leads under the snapshot, or undefined. */
export function poolExclusion(repId: string, snapshot: PoolSnapshot): string | undefined {
  if (snapshot.groupId === null) return `Salesforce has no group ${snapshot.group}`;
  const member = snapshot.members.find((m) => id15(m.id) === id15(repId));
  if (!member) return `not a member of ${snapshot.group}`;
  if (!member.isActive) return 'inactive in Salesforce';
  if (member.outOfOffice) return 'out of office in Salesforce';
  return undefined;
}

/** The policy with only the reps the pool lets take new leads (their open handoffs are not touched). */
export function restrictToPool(policy: RotationPolicy, snapshot: PoolSnapshot): RotationPolicy {
  return { ...policy, reps: policy.reps.filter((rep) => poolExclusion(rep.id, snapshot) === undefined) };
}

/**
 * Whether the new read lets some contract rep take new leads who could not under the previous one (a
 * member joined, was reactivated or came back in office): leads waiting for a rep are worth waking.
 */
export function poolGained(repIds: readonly string[], before: PoolSnapshot | undefined, after: PoolSnapshot): boolean {
  return repIds.some((id) => poolExclusion(id, after) === undefined && (before === undefined || poolExclusion(id, before) !== undefined));
}

/** One line per change between two reads: joined, left, deactivated, reactivated, out of office, back. */
export function poolChanges(before: PoolSnapshot | undefined, after: PoolSnapshot): string[] {
  const was = new Map((before?.members ?? []).map((m) => [id15(m.id), m]));
  const now = new Map(after.members.map((m) => [id15(m.id), m]));
  const lines: string[] = [];
  if (before && before.groupId !== after.groupId) lines.push(after.groupId === null ? `group ${after.group} no longer exists in Salesforce` : `group ${after.group} found (${after.groupId})`);
  for (const [id, m] of now) {
    const old = was.get(id);
    if (!old) lines.push(`${m.name} (${m.id}) joined ${after.group}${m.isActive ? '' : ' (inactive)'}${m.outOfOffice ? ' (out of office)' : ''}`);
    else {
      if (old.isActive !== m.isActive) lines.push(`${m.name} (${m.id}) ${m.isActive ? 'reactivated' : 'deactivated'} in Salesforce`);
      if (old.outOfOffice !== m.outOfOffice) lines.push(`${m.name} (${m.id}) ${m.outOfOffice ? 'out of office' : 'back in office'}`);
    }
  }
  for (const [id, m] of was) if (!now.has(id)) lines.push(`${m.name} (${m.id}) left ${after.group}`);
  return lines;
}

/**
 * `sla check --live` on the pool: an unknown group is an error; a listed rep the pool keeps from new
 * leads, and a member with no profile in the contract (no hours, no channels: never routed), warnings.
 */
export function poolFindings(reps: ReadonlyArray<{ id: string; name: string }>, snapshot: PoolSnapshot): Finding[] {
  const findings = new Findings();
  if (snapshot.groupId === null) {
    findings.error('routing.pool.salesforceGroup', `Salesforce has no public group or queue with API name "${snapshot.group}": nobody would get new leads`);
    return findings.list;
  }
  reps.forEach((rep, i) => {
    const why = poolExclusion(rep.id, snapshot);
    if (why) findings.warn(`routing.reps.${i}`, `${rep.name} gets no new leads from the pool: ${why} (their open handoffs keep their clocks)`);
  });
  const listed = new Set(reps.map((r) => id15(r.id)));
  for (const m of snapshot.members) {
    if (!listed.has(id15(m.id))) findings.warn('routing.reps', `${m.name} (${m.id}) is in ${snapshot.group} but has no profile in routing.reps (hours, channels): not routed`);
  }
  const eligible = reps.filter((rep) => poolExclusion(rep.id, snapshot) === undefined).length;
  if (eligible === 0) findings.error('routing.pool', `no rep of the contract is an active, in-office member of ${snapshot.group}: nobody would get new leads`);
  return findings.list;
}
