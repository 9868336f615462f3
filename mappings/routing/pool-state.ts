/**
 * The routing pool as the portal's routing queue keeps it durably: the latest read whose content
 * changed (who is routable, who is kept out and why) and the last changes, for `leads stuck` and `sla
 * check --live`. Every worker replica reads the pool; their reports of one content share a digest, so
 * the queue records a change once however many replicas report it. Pure (the workflow bundle uses it).
 */
import { poolChanges, poolExclusions, type PoolRep, type PoolSnapshot } from './pool';

/** What a worker sends its portal's routing queue after a read whose content changed. */
export interface PoolReport {
  /** The read, members without their emails (matching happened in the worker). */
  snapshot: PoolSnapshot;
  /** The contract's reps the pool lets take new leads. */
  routable: Array<{ id: string; name: string }>;
  /** The contract's reps the pool keeps from new leads, with why (not in pool, inactive/archived, out of office). */
  excluded: Array<{ id: string; name: string; reason: string }>;
  /** Content key (poolDigest): equal reports are one. */
  digest: string;
}

export interface PoolChange {
  at: string;
  change: string;
}

export interface PoolState {
  current: PoolReport;
  /** Oldest first, at most POOL_CHANGES_KEPT. */
  changes: PoolChange[];
}

/** Changes the queue keeps (carried across continue-as-new: ≈ 150 bytes each). */
export const POOL_CHANGES_KEPT = 50;

/** FNV-1a (32 bits) of the text, in hex: a short content key, the same in every process. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

const byId = <T extends { id: string }>(items: readonly T[]): T[] => [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

/** The report of a read for the contract's reps: content sorted, so replicas' reports of one read agree. */
export function poolReportOf(snapshot: PoolSnapshot, reps: readonly PoolRep[]): PoolReport {
  const excluded = byId(poolExclusions(reps, snapshot));
  const out = new Set(excluded.map((r) => r.id));
  const routable = byId(reps.filter((r) => !out.has(r.id)).map((r) => ({ id: r.id, name: r.name })));
  const members = byId(snapshot.members.map(({ id, name, isActive, outOfOffice }) => ({ id, name, isActive, outOfOffice })));
  const content = { crm: snapshot.crm ?? 'salesforce', group: snapshot.group, groupId: snapshot.groupId, members, routable, excluded };
  return { snapshot: { ...snapshot, members }, routable, excluded, digest: fnv1a(JSON.stringify(content)) };
}

/** Lines for reps whose standing changed: kept out now (with why), or routable again. */
function standingChanges(before: PoolReport, after: PoolReport): string[] {
  const was = new Map(before.excluded.map((r) => [r.id, r.reason]));
  const now = new Map(after.excluded.map((r) => [r.id, r.reason]));
  const lines: string[] = [];
  for (const r of after.excluded) if (was.get(r.id) !== r.reason) lines.push(`${r.name} gets no new leads: ${r.reason}`);
  for (const r of after.routable) if (was.has(r.id)) lines.push(`${r.name} gets new leads again`);
  for (const r of before.routable) if (!now.has(r.id) && !after.routable.some((x) => x.id === r.id)) lines.push(`${r.name} is no longer in the contract's reps`);
  return lines;
}

/** The state after a report: unchanged (the same object) when its content is already the current one. */
export function recordPoolReport(state: PoolState | undefined, report: PoolReport): PoolState {
  if (state && state.current.digest === report.digest) return state;
  const at = report.snapshot.readAt;
  const before = state?.current;
  const samePool = before !== undefined && before.snapshot.group === report.snapshot.group && (before.snapshot.crm ?? 'salesforce') === (report.snapshot.crm ?? 'salesforce');
  const lines = samePool
    ? [...poolChanges(before.snapshot, report.snapshot), ...standingChanges(before, report)]
    : [`read ${report.snapshot.crm === 'hubspot' ? 'HubSpot team' : 'Salesforce group'} ${report.snapshot.group}: ${report.snapshot.members.length} member(s), ${report.routable.length} rep(s) routable, ${report.excluded.length} kept out`];
  const changes = [...(state?.changes ?? []), ...lines.map((change) => ({ at, change }))];
  return { current: report, changes: changes.slice(-POOL_CHANGES_KEPT) };
}

/** Who the read lets take new leads and who it keeps out, and why. */
export function formatPoolRead(report: PoolReport): string[] {
  const { snapshot, routable, excluded } = report;
  const where = snapshot.crm === 'hubspot' ? 'HubSpot team' : 'Salesforce group';
  return [
    `  ${where} ${snapshot.group}${snapshot.groupId === null ? ' (not found)' : ` (${snapshot.groupId})`}, read at ${snapshot.readAt}`,
    `  routable (${routable.length}): ${routable.map((r) => `${r.name} (${r.id})`).join(', ') || 'nobody'}`,
    ...excluded.map((r) => `  kept from new leads: ${r.name} (${r.id}): ${r.reason}`),
    ...(snapshot.crm === 'hubspot' ? ["  (HubSpot owners have no out-of-office field: only the reps' outOfOffice dates in the contract keep them from new leads)"] : []),
  ];
}

/** The "Routing pool" lines `leads stuck` and `sla check --live` print: the last changed read and the changes. */
export function formatPoolState(state: PoolState): string[] {
  return [
    ...formatPoolRead(state.current),
    `  last ${state.changes.length} change(s), oldest first (a read with no change is not recorded):`,
    ...state.changes.map((c) => `    ${c.at}  ${c.change}`),
  ];
}
