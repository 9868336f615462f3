/** A history event's time (protobuf seconds + nanos) as epoch milliseconds; 0 when absent. */
export const millis = (time: { seconds?: unknown; nanos?: number | null } | null | undefined): number =>
  time ? Number(time.seconds ?? 0) * 1000 + Math.floor((time.nanos ?? 0) / 1e6) : 0;
