/**
 * Keeps this worker's view of the contract's CRM pool (routing.pool: a Salesforce group or a HubSpot
 * team): read at start and every `refreshMinutes`, each change logged, the last good read kept when the
 * CRM cannot answer. The assignLead activity routes only among the reps it lets take new leads
 * (mappings/routing/pool.ts). A read whose content changed is reported to the portal's routing queue
 * (pool-report.ts), so the pool and its changes are visible beyond this process's log.
 */
import type { RotationPolicy } from '../../mappings/routing';
import { poolChanges, poolGained, poolReportOf, restrictToPool, type PoolReport, type PoolSnapshot } from '../../mappings/routing';
import type { Contract } from '../../mappings/contract';
import { poolName, readPool, type PoolReadPorts } from './pool-read';

export interface PoolSyncDeps extends PoolReadPorts {
  contract: () => Contract;
  log: (level: 'info' | 'warn', message: string, meta: Record<string, unknown>) => void;
  /** Records a read whose content changed durably (the routing queue); retried at the next read on failure. */
  report?: (report: PoolReport) => Promise<void>;
  now?: () => Date;
  /** Called when a read lets a contract rep take new leads who could not before (not on the first read). */
  onGain?: () => void;
}

export interface PoolSync {
  /** Reads the pool now; resolves to the snapshot in force (undefined when the contract names no pool). */
  refresh(): Promise<PoolSnapshot | undefined>;
  /**
   * The policy restricted to the pool, after the first read has settled (unchanged when the contract
   * names no pool, or the CRM never answered: then every listed rep may take leads).
   */
  apply(policy: RotationPolicy): RotationPolicy | Promise<RotationPolicy>;
  snapshot(): PoolSnapshot | undefined;
  /** Changes seen so far, newest last (bounded). */
  changes(): Array<{ at: string; change: string }>;
  /** Reads at once, then on the contract's schedule; returns the stop function. */
  start(): () => void;
}

const CHANGES_KEPT = 200;

export function createPoolSync(deps: PoolSyncDeps): PoolSync {
  const now = deps.now ?? (() => new Date());
  let current: PoolSnapshot | undefined;
  let first: Promise<unknown> | undefined;
  let reported: string | undefined;
  let reporting: Promise<void> = Promise.resolve();
  const seen: Array<{ at: string; change: string }> = [];

  async function report(snapshot: PoolSnapshot): Promise<void> {
    if (!deps.report) return;
    const read = poolReportOf(snapshot, deps.contract().routing.reps);
    if (read.digest === reported) return;
    try {
      await deps.report(read);
      reported = read.digest;
    } catch (err) {
      deps.log('warn', 'routing pool change not recorded in the routing queue; retried at the next read', { group: snapshot.group, error: err instanceof Error ? err.message : String(err) });
    }
  }

  async function refresh(): Promise<PoolSnapshot | undefined> {
    const pool = deps.contract().routing.pool;
    if (!pool) return undefined;
    try {
      const next = await readPool(pool, deps, now());
      const samePool = current?.group === next.group && current.crm === next.crm;
      const changes = samePool ? poolChanges(current, next) : [`read ${next.group}: ${next.members.length} member(s)`];
      for (const change of changes) {
        seen.push({ at: next.readAt, change });
        deps.log('info', `routing pool: ${change}`, { group: next.group });
      }
      seen.splice(0, Math.max(0, seen.length - CHANGES_KEPT));
      const gained = samePool && poolGained(deps.contract().routing.reps, current, next);
      current = next;
      if (gained) deps.onGain?.();
    } catch (err) {
      // The last good read stays in force: a CRM outage does not empty the pool.
      deps.log('warn', 'routing pool not read; the last read stays in force', { group: poolName(pool), error: err instanceof Error ? err.message : String(err) });
    }
    // Not awaited: routing never waits on the record (one report at a time, in read order).
    const snapshot = current;
    if (snapshot) reporting = reporting.then(() => report(snapshot));
    return current;
  }

  const restrict = (policy: RotationPolicy, snapshot: PoolSnapshot) => restrictToPool(policy, snapshot, deps.contract().routing.reps);

  return {
    refresh,
    // Synchronous once read (or with no pool): a routing question never waits a turn for nothing.
    apply(policy) {
      if (!deps.contract().routing.pool) return policy;
      if (current) return restrict(policy, current);
      first ??= refresh();
      return first.then(() => (current ? restrict(policy, current) : policy));
    },
    snapshot: () => current,
    changes: () => [...seen],
    start() {
      let stopped = false;
      let timer: NodeJS.Timeout | undefined;
      const loop = async (): Promise<void> => {
        const read = refresh();
        first ??= read;
        await read;
        // A contract without a pool is looked at again as often as the default schedule: it may gain one.
        const minutes = deps.contract().routing.pool?.refreshMinutes ?? 15;
        if (!stopped) timer = setTimeout(() => void loop(), minutes * 60_000);
      };
      void loop();
      return () => {
        stopped = true;
        if (timer) clearTimeout(timer);
      };
    },
  };
}
