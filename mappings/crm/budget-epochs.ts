/**
 * One CRM call budget shared by every process that calls the CRM: how the keeper (a workflow, see
 * workflows/call-budget-keeper.ts) hands out calls. Pure: no clock, no I/O.
 *
 * Time is cut into epochs of ⌈window / EPOCHS_PER_WINDOW⌉ ms, numbered from the Unix epoch. A holder
 * (one worker or ingress process) is granted a number of calls in each epoch and makes them only
 * inside that epoch, by its own clock. Any window of the budget's length overlaps at most
 * EPOCHS_PER_WINDOW + 1 epochs, so the keeper keeps every run of that many consecutive epochs to at
 * most `calls` calls in total, whoever holds them: then no window holds more than the budget, however
 * many processes share it, and a process killed with grants in hand only leaves them unused.
 * The price is 1/(EPOCHS_PER_WINDOW + 1) of the budget (≈ 5 %).
 *
 * Calls are shared by weight among the holders seen recently: a holder with calls waiting weighs
 * BUSY_WEIGHT, an idle one 1, so an idle replica keeps a little for a lone lead and a busy one
 * gets the rest.
 */

export const EPOCHS_PER_WINDOW = 20;
export const BUSY_WEIGHT = 4;
/** A holder not heard from for this long no longer takes a share. */
export const HOLDER_LIVE_MS = 5_000;
/** A holder forgotten entirely after this long (its grants are in `totals` anyway). */
export const HOLDER_FORGET_MS = 60_000;
/** The furthest ahead a holder may be granted calls. */
export const MAX_AHEAD_MS = 10_000;

export interface BudgetLimit {
  /** At most this many calls… */
  calls: number;
  /** …in any window of this many milliseconds. */
  perMs: number;
}

export interface LeaseRequest {
  /** One process's id, random per process start (a restarted process is a new holder). */
  holder: string;
  /** Whether calls are waiting in that process. */
  busy: boolean;
  /** Epochs wanted, inclusive; the keeper grants each epoch to a holder at most once. */
  fromEpoch: number;
  throughEpoch: number;
}

/** `[epoch, calls]` for each epoch granted by this answer (0 where the budget had no room). */
export type EpochGrant = [number, number];

export interface HolderRecord {
  id: string;
  busy: boolean;
  lastEpoch: number;
  grantedThrough: number;
}

export interface KeeperState {
  limit: BudgetLimit;
  /** Calls granted per epoch, all holders together: `[epoch, calls]`, only recent epochs. */
  totals: EpochGrant[];
  holders: HolderRecord[];
  /** The latest epoch any holder asked from: epochs long before it are closed. */
  highEpoch: number;
}

export function epochMs(limit: BudgetLimit): number {
  if (!(limit.calls > 0) || !(limit.perMs > 0) || !Number.isInteger(limit.calls)) {
    throw new RangeError(`a shared call budget needs a positive whole number of calls and a positive window, got ${limit.calls} per ${limit.perMs} ms`);
  }
  // Rounded up: EPOCHS_PER_WINDOW epochs then cover at least a window, so a window overlaps at most one more.
  return Math.ceil(limit.perMs / EPOCHS_PER_WINDOW);
}

export function epochOf(limit: BudgetLimit, atMs: number): number {
  return Math.floor(atMs / epochMs(limit));
}

export function initialKeeperState(limit: BudgetLimit): KeeperState {
  epochMs(limit);
  return { limit, totals: [], holders: [], highEpoch: 0 };
}

/**
 * Grants `request.holder` its share of each epoch it asks for, never letting any EPOCHS_PER_WINDOW + 1
 * consecutive epochs exceed the budget. Returns the new state and the grants.
 */
export function grantCalls(state: KeeperState, request: LeaseRequest): { state: KeeperState; grants: EpochGrant[] } {
  const span = EPOCHS_PER_WINDOW + 1;
  const budget = state.limit.calls;
  const highEpoch = Math.max(state.highEpoch, request.fromEpoch);
  const perEpochMs = epochMs(state.limit);
  const liveSince = highEpoch - Math.ceil(HOLDER_LIVE_MS / perEpochMs);
  const forgetBefore = highEpoch - Math.ceil(HOLDER_FORGET_MS / perEpochMs);

  const holders = new Map(state.holders.filter((h) => h.lastEpoch >= forgetBefore).map((h) => [h.id, { ...h }]));
  const previous = holders.get(request.holder);
  const me: HolderRecord = { id: request.holder, busy: request.busy, lastEpoch: Math.max(previous?.lastEpoch ?? 0, request.fromEpoch), grantedThrough: previous?.grantedThrough ?? Number.NEGATIVE_INFINITY };
  holders.set(me.id, me);

  const weight = (h: HolderRecord): number => (h.busy ? BUSY_WEIGHT : 1);
  const totalWeight = [...holders.values()].filter((h) => h.lastEpoch >= liveSince).reduce((sum, h) => sum + weight(h), 0);
  const perEpoch = (budget * weight(me)) / totalWeight / span;

  // Epochs a whole window behind the newest request can no longer be used by anyone.
  const closedBefore = highEpoch - span;
  const totals = new Map(state.totals.filter(([epoch]) => epoch >= closedBefore - span));
  const totalAt = (epoch: number): number => totals.get(epoch) ?? 0;
  /** What epoch `e` may still take: the fullest run of `span` epochs that contains it decides. */
  const room = (e: number): number => {
    let fullest = 0;
    for (let start = e - span + 1; start <= e; start += 1) {
      let sum = 0;
      for (let k = start; k < start + span; k += 1) sum += totalAt(k);
      fullest = Math.max(fullest, sum);
    }
    return Math.max(0, budget - fullest);
  };

  const grants: EpochGrant[] = [];
  const first = Math.max(request.fromEpoch, me.grantedThrough + 1, closedBefore);
  const last = Math.min(request.throughEpoch, request.fromEpoch + Math.ceil(MAX_AHEAD_MS / perEpochMs));
  for (let e = first; e <= last; e += 1) {
    // The share spread over epochs by its running total, so fractions of a call are not lost.
    const share = Math.floor((e + 1) * perEpoch) - Math.floor(e * perEpoch);
    const calls = Math.min(share, room(e));
    if (calls > 0) totals.set(e, totalAt(e) + calls);
    grants.push([e, calls]);
    me.grantedThrough = e;
  }
  return {
    state: { limit: state.limit, totals: [...totals.entries()].sort((a, b) => a[0] - b[0]), holders: [...holders.values()], highEpoch },
    grants,
  };
}
