import proto from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { statCpuSeconds } from '../bench/support/cpu';
import { heapSplit } from '../bench/support/table';
import { describeTimeout } from '../bench/support/routing-stats';

describe('CPU seconds from /proc/<pid>/stat', () => {
  it('adds utime and stime (fields 14 and 15, in ticks of 1/100 s), whatever the command name holds', () => {
    // Fields 3-13 before utime, then utime 250 and stime 75 ticks, then the rest of the line.
    const before = ['S', '1', '2', '3', '0', '-1', '4194304', '10', '0', '0', '0'];
    const line = (comm: string) => `4242 (${comm}) ${[...before, '250', '75', '7', '8', '20', '0', '12'].join(' ')}\n`;
    expect(statCpuSeconds(line('node'))).toBe(3.25);
    // A name with spaces and a closing parenthesis of its own (a thread may be named anything).
    expect(statCpuSeconds(line('tsx (worker) a b'))).toBe(3.25);
  });

  it('refuses a line that is not a stat line, naming what it got', () => {
    expect(() => statCpuSeconds('no such thing')).toThrow(/not a \/proc\/<pid>\/stat line: "no such thing"/);
  });
});

describe("the footprint's RSS split (bench/support/table.ts)", () => {
  it('shows the main thread heap and what lies outside it, at idle and parked', () => {
    const MiB = 1024 * 1024;
    // Idle: 250 MiB RSS of which the main heap reserves 50 (40 used): 200 outside it. Parked: 360 - 70 = 290.
    const split = heapSplit({ usedBytes: 40 * MiB, totalBytes: 50 * MiB }, 250 * MiB, { usedBytes: 60 * MiB, totalBytes: 70 * MiB }, 360 * MiB);
    expect(split).toBe('main heap 40 → 60 MB used (of 50 → 70 MB); the rest 200 → 290 MB');
  });
});

describe("the burst's retried-attempt row (bench/support/routing-stats.ts)", () => {
  const { TimeoutType } = proto.temporal.api.enums.v1;
  const details = { payloads: [{ data: new TextEncoder().encode('{"runningMs":10000}') }] };

  it('names the timeout, and a heartbeat timeout of an attempt that never heartbeated as never heard from', () => {
    expect(describeTimeout({ timeoutType: TimeoutType.TIMEOUT_TYPE_HEARTBEAT })).toBe('heartbeat, never heard from');
    expect(describeTimeout({ timeoutType: TimeoutType.TIMEOUT_TYPE_HEARTBEAT, lastHeartbeatDetails: { payloads: [] } })).toBe('heartbeat, never heard from');
    expect(describeTimeout({ timeoutType: TimeoutType.TIMEOUT_TYPE_HEARTBEAT, lastHeartbeatDetails: details })).toBe('heartbeat');
    expect(describeTimeout({ timeoutType: TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE })).toBe('start-to-close');
    expect(describeTimeout({ timeoutType: TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START, lastHeartbeatDetails: details })).toBe('schedule-to-start');
  });
});
