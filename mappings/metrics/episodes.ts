/**
 * Handoff episodes: one MQL → handoff run. Every stamp the bridge writes carries its episode (the MQL
 * date that started it), in HubSpot's `handoff_episodes` ledger next to the flat stamps, so a figure
 * reads only the stamps of the episode it measures and a lead MQL'd twice is two handovers. Pure
 * (no zod: the workflow reads the ledger too).
 */

export interface EpisodeStamps {
  /** The episode's id: the MQL date that started it (ISO). */
  episode: string;
  /** The episode's FIRST assignment: a reassignment never moves it. */
  assignedAt?: string;
  /** The first alert's delivery. */
  alertedAt?: string;
  /** The latest (re)assignment and its alert: the rep who decides was alerted here. */
  lastAssignedAt?: string;
  lastAlertedAt?: string;
  ownerId?: string;
  /** Reps whose acceptance window ran out, in order. */
  missedBy?: string[];
  acceptedAt?: string;
  firstAttemptAt?: string;
  rejectionReason?: string;
  outcome?: string;
  outcomeAt?: string;
  /** Required fields blank at handover (captured at the first assignment). */
  missingAtHandover?: string[];
}

/** Episodes a contact's ledger keeps (the oldest drop off): a year of monthly re-MQLs. */
export const LEDGER_EPISODES = 12;

const TEXT_KEYS = ['assignedAt', 'alertedAt', 'lastAssignedAt', 'lastAlertedAt', 'ownerId', 'acceptedAt', 'firstAttemptAt', 'rejectionReason', 'outcome', 'outcomeAt'] as const;
const LIST_KEYS = ['missedBy', 'missingAtHandover'] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toEpisode(raw: unknown): EpisodeStamps | undefined {
  if (!isRecord(raw) || typeof raw.episode !== 'string' || raw.episode === '') return undefined;
  const stamps: EpisodeStamps = { episode: raw.episode };
  for (const key of TEXT_KEYS) {
    const value = raw[key];
    if (typeof value === 'string' && value !== '') stamps[key] = value;
  }
  for (const key of LIST_KEYS) {
    const value = raw[key];
    if (Array.isArray(value)) stamps[key] = value.filter((v): v is string => typeof v === 'string');
  }
  return stamps;
}

/** The ledger's episodes, oldest first; a blank or unreadable ledger reads as none (the report says so). */
export function parseLedger(text: string | null | undefined): EpisodeStamps[] {
  if (!text) return [];
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return [];
  }
  if (!Array.isArray(raw)) return [];
  return raw.map(toEpisode).filter((e): e is EpisodeStamps => e !== undefined).sort((a, b) => Date.parse(a.episode) - Date.parse(b.episode));
}

/** Whether the ledger text is present but not a ledger: reported as a data-quality finding. */
export function ledgerUnreadable(text: string | null | undefined): boolean {
  if (!text) return false;
  try {
    return !Array.isArray(JSON.parse(text));
  } catch {
    return true;
  }
}

/**
 * The ledger with `stamps` merged into its episode. `assignedAt`, `alertedAt` and `firstAttemptAt`
 * are first-writer-wins: a reassignment or a later Task never overwrites them.
 */
export function recordEpisode(ledger: EpisodeStamps[], stamps: EpisodeStamps): EpisodeStamps[] {
  const current = ledger.find((e) => e.episode === stamps.episode);
  const merged: EpisodeStamps = { ...current, ...stamps };
  if (current?.assignedAt) merged.assignedAt = current.assignedAt;
  if (current?.alertedAt) merged.alertedAt = current.alertedAt;
  if (current?.firstAttemptAt) merged.firstAttemptAt = current.firstAttemptAt;
  if (current?.missingAtHandover) merged.missingAtHandover = current.missingAtHandover;
  const others = ledger.filter((e) => e.episode !== stamps.episode);
  return [...others, merged].sort((a, b) => Date.parse(a.episode) - Date.parse(b.episode)).slice(-LEDGER_EPISODES);
}

export function formatLedger(ledger: EpisodeStamps[]): string {
  return JSON.stringify(ledger);
}
