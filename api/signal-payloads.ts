/**
 * What is wrong with a signal's payload, checked by the workflow that receives it. A signal cannot be
 * refused (it has no validator), and a handler that throws on a payload it cannot read fails its
 * workflow task again on every retry: the handoff or the portal's routing queue would stop there,
 * however the signal was sent (the Temporal UI, `temporal workflow signal`, a script). So each
 * handler asks here first, and a payload with a problem is logged and ignored. Plain checks, not zod:
 * the workflow bundle carries no zod (eslint.config.js). Each returns undefined for a payload the
 * handler can take, else the first problem, naming the field and never its value.
 */
import type { ContactChange, LeadChange } from './handoff';
import type { ReleaseSlot } from './routing';

type Fields = Record<string, unknown>;
type Kind = 'string' | 'string?' | 'boolean?' | 'timestamp' | 'timestamp?';

const isRecord = (value: unknown): value is Fields => typeof value === 'object' && value !== null && !Array.isArray(value);

function kindProblem(value: unknown, kind: Kind): string | undefined {
  if (value === undefined) return kind.endsWith('?') ? undefined : 'is missing';
  if (kind === 'boolean?') return typeof value === 'boolean' ? undefined : 'is not true or false';
  if (typeof value !== 'string') return 'is not a string';
  if (kind.startsWith('timestamp') && Number.isNaN(Date.parse(value))) return 'is not a timestamp';
  return undefined;
}

function shapeProblem(value: unknown, shape: Record<string, Kind>, path = 'the payload'): string | undefined {
  if (!isRecord(value)) return `${path} is not an object`;
  for (const [field, kind] of Object.entries(shape)) {
    const problem = kindProblem(value[field], kind);
    if (problem) return `${path === 'the payload' ? field : `${path}.${field}`} ${problem}`;
  }
  return undefined;
}

/** contactChanged (the webhook ingress): the handler reads the event id, to count each change once. */
export function contactChangeProblem(value: unknown): string | undefined {
  return shapeProblem(value, { eventId: 'string' } satisfies Partial<Record<keyof ContactChange, Kind>>);
}

/** leadChanged (the Salesforce status watcher): every field a decision or a contact attempt reads. */
export function leadChangeProblem(value: unknown): string | undefined {
  const shape = { leadId: 'string', modifiedAt: 'timestamp', status: 'string?', ownerId: 'string?', rejectionReason: 'string?', isConverted: 'boolean?' } satisfies Partial<Record<keyof LeadChange, Kind>>;
  const problem = shapeProblem(value, shape);
  if (problem || !isRecord(value)) return problem;
  if (value.fields !== undefined && !(isRecord(value.fields) && Object.values(value.fields).every((v) => v === null || typeof v === 'string'))) {
    return 'fields is not a map of field names to strings or null';
  }
  if (value.attempt !== undefined) return shapeProblem(value.attempt, { taskId: 'string', channel: 'string', createdAt: 'timestamp' }, 'attempt');
  return undefined;
}

const RELEASE_WHYS: ReadonlySet<unknown> = new Set<ReleaseSlot['why']>(['accepted', 'rejected', 'missed']);

/** releaseSlot (a handoff, to its portal's routing queue). */
export function releaseSlotProblem(value: unknown): string | undefined {
  const problem = shapeProblem(value, { handoffId: 'string', repId: 'string', why: 'string' } satisfies Record<keyof ReleaseSlot, Kind>);
  if (problem || !isRecord(value)) return problem;
  return RELEASE_WHYS.has(value.why) ? undefined : 'why is not accepted, rejected or missed';
}
