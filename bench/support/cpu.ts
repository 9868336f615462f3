/**
 * CPU seconds a process has used (user + system, all its threads), from /proc/<pid>/stat. Unlike wall
 * time it barely moves with the machine's load, so a burst and its floor compare fairly on a shared
 * machine: the figure is what a lead costs the worker and the server, not how long it waited for a core.
 */
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's times (USER_HZ): 100 on every Linux the benches run on. */
const TICKS_PER_SECOND = 100;

/** User + system CPU seconds from the text of a /proc/<pid>/stat file (proc(5)). */
export function statCpuSeconds(stat: string): number {
  // The command name (field 2) may hold spaces and parentheses: count fields after its closing one.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 (utime, stime) are the 12th and 13th after the name.
  const ticks = Number(fields[11]) + Number(fields[12]);
  if (!Number.isFinite(ticks)) throw new Error(`not a /proc/<pid>/stat line: ${JSON.stringify(stat.slice(0, 80))}`);
  return ticks / TICKS_PER_SECOND;
}

/** The process's CPU seconds so far; undefined where /proc is not there (macOS) or the process is gone. */
export function cpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined || pid <= 0) return undefined;
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  return statCpuSeconds(stat);
}

/** CPU seconds `pids` use from now until the returned function is called, per pid. */
export function cpuMeter(pids: Record<string, number | undefined>): () => Record<string, number | undefined> {
  const from = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuSeconds(pid)]));
  return () =>
    Object.fromEntries(
      Object.entries(pids).map(([name, pid]) => {
        const start = from[name];
        const end = cpuSeconds(pid);
        return [name, start === undefined || end === undefined ? undefined : end - start];
      }),
    );
}

/** `12.3 s worker + 45.6 s server = 57.9 s per 1,000`: CPU seconds per 1,000 items. */
export function perThousand(used: Record<string, number | undefined>, items: number): string {
  const parts = Object.entries(used).map(([name, s]) => (s === undefined ? `${name} n/a` : `${((s * 1000) / items).toFixed(1)} s ${name}`));
  const known = Object.values(used).filter((s): s is number => s !== undefined);
  const total = known.reduce((a, s) => a + s, 0);
  return `${parts.join(' + ')}${known.length > 1 ? ` = ${((total * 1000) / items).toFixed(1)} s` : ''} per 1,000`;
}

/** ` = 2.1× the floor's` per item, over the processes both measured. */
export function cpuRatio(used: Record<string, number | undefined>, floor: Record<string, number | undefined>, items: number, floorItems: number): string {
  const sum = (r: Record<string, number | undefined>): number | undefined => {
    const values = Object.values(r);
    return values.some((v) => v === undefined) ? undefined : values.reduce<number>((a, v) => a + (v ?? 0), 0);
  };
  const a = sum(used);
  const b = sum(floor);
  return a === undefined || b === undefined || b === 0 ? '' : ` = ${(a / items / (b / floorItems)).toFixed(2)}× the floor's`;
}
