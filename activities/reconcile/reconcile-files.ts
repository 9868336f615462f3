/**
 * The files one reconciliation run keeps in the report store, and reading them back. Snapshots are
 * JSON Lines in numbered parts, so a retried activity rewrites only the part it was on.
 */
import type { ContactHistory, ContactSnapshot, LeadSnapshot, OpenHandoff, Person, BlockedHandoff } from '../../mappings/metrics';
import type { LeadTask, ReportStore } from './reconcile-ports';

export const FILES = {
  hubspotPart: (n: number) => `hubspot-${String(n).padStart(5, '0')}.jsonl`,
  salesforcePart: (n: number) => `salesforce-${String(n).padStart(5, '0')}.jsonl`,
  historyPart: (n: number) => `history-${String(n).padStart(5, '0')}.jsonl`,
  people: 'people.json',
  handoffs: 'handoffs.json',
  extras: 'salesforce-extras.json',
  drift: 'drift.json',
  repairs: 'repairs.json',
  reportJson: 'report.json',
} as const;

export interface PeopleFile {
  owners: Person[];
  users: Person[];
}

export interface HandoffsFile {
  open: OpenHandoff[];
  stuck: OpenHandoff[];
  /** Running handoffs a CRM refused for good, waiting for `lead retry` (absent in older runs). */
  blocked?: BlockedHandoff[];
  /** Handoffs of the portal that ended Failed (absent in older runs). */
  failed?: string[];
}

export interface ExtrasFile {
  opportunityStages: Record<string, string>;
  tasks: LeadTask[];
  /** False when tasks could not be read: the contact-attempt figures are then SIGNAL MISSING. */
  tasksRead: boolean;
}

export function toJsonLines(items: unknown[]): string {
  return items.map((item) => JSON.stringify(item)).join('\n') + (items.length ? '\n' : '');
}

function parseLines<T>(content: string | null): T[] {
  if (!content) return [];
  return content
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as T);
}

/** Every numbered part of one snapshot, in order, until the first missing part. */
async function readParts<T>(store: ReportStore, runId: string, name: (n: number) => string): Promise<T[]> {
  const all: T[] = [];
  for (let n = 1; ; n++) {
    const content = await store.read({ runId, name: name(n) });
    if (content === null) return all;
    all.push(...parseLines<T>(content));
  }
}

export async function readJson<T>(store: ReportStore, runId: string, name: string, fallback: T): Promise<T> {
  const content = await store.read({ runId, name });
  return content === null ? fallback : (JSON.parse(content) as T);
}

export function readContacts(store: ReportStore, runId: string): Promise<ContactSnapshot[]> {
  return readParts<ContactSnapshot>(store, runId, FILES.hubspotPart);
}

export function readLeads(store: ReportStore, runId: string): Promise<LeadSnapshot[]> {
  return readParts<LeadSnapshot>(store, runId, FILES.salesforcePart);
}

export function readHistories(store: ReportStore, runId: string): Promise<ContactHistory[]> {
  return readParts<ContactHistory>(store, runId, FILES.historyPart);
}
