/**
 * `handoff-bridge leads stuck`: the stuck-lead visibility queries, run against Temporal, printing the
 * matching handoffs and the exact query string to paste into the Web UI (worker/stuck-queries.ts).
 */
import { parseArgs } from 'node:util';
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { z } from 'zod';
import { ConfigError, loadClientConfig } from '../config';
import { connectClientFromEnv } from '../temporal-client';
import {
  awaitingAcceptancePastDeadline,
  blockedHandoffs,
  breachedByOwner,
  failedHandoffs,
  DEFAULT_SYNC_GRACE_MINUTES,
  revertedToday,
  stuckInSyncWait,
  workflowsPageUrl,
} from '../stuck-queries';
import { BLOCKED_CODE, BLOCKED_STEP, LEAD_STAGE, OWNER_ID, SLA_DEADLINE } from '../../workflows/search-attributes';

export const summary = 'list stuck handoffs and the visibility queries behind them: leads stuck [--owner ID] [--query NAME]';

export const QUERY_NAMES = ['past-deadline', 'sync-wait', 'blocked', 'failed', 'reverted-today', 'breached'] as const;
export type QueryName = (typeof QUERY_NAMES)[number];

const TITLES: Record<QueryName, string> = {
  'past-deadline': 'Awaiting acceptance past deadline',
  'sync-wait': 'Stuck in sync wait',
  blocked: 'Blocked (a CRM refused a write; fix it, then `lead retry`)',
  failed: 'Ended Failed',
  'reverted-today': 'Reverted today',
  breached: 'Breached by owner',
};

const USAGE = [
  'usage: handoff-bridge leads stuck [--owner ID] [--query NAME] [--portal ID] [--limit 50]',
  '                                  [--time-zone UTC] [--sync-grace-minutes 20] [--ui http://127.0.0.1:8233]',
  '',
  `Queries: ${QUERY_NAMES.join(', ')}. Without --query: past-deadline, sync-wait, blocked, failed`,
  'and reverted-today, or with --owner: past-deadline, blocked, reverted-today and breached for that',
  'owner (a lead waiting for the connector has no owner yet).',
].join('\n');

const optionsSchema = z
  .object({
    owner: z.string().min(1).optional(),
    query: z.enum(QUERY_NAMES, { error: `--query must be one of ${QUERY_NAMES.join(', ')}` }).optional(),
    portal: z.string().min(1).optional(),
    limit: z.coerce.number().int().positive({ error: '--limit must be a positive whole number' }).default(50),
    'time-zone': z.string().min(1).default('UTC'),
    'sync-grace-minutes': z.coerce.number().nonnegative({ error: '--sync-grace-minutes must be a number of minutes' }).default(DEFAULT_SYNC_GRACE_MINUTES),
    ui: z.url({ protocol: /^https?$/, error: '--ui must be the http(s) URL of the Temporal Web UI' }).optional(),
  })
  .refine((o) => o.query !== 'breached' || o.owner !== undefined, { error: '--query breached needs --owner ID' })
  .refine((o) => o.query !== 'sync-wait' || o.owner === undefined, { error: 'a lead waiting for the connector has no owner yet: drop --owner for --query sync-wait' });

export type StuckOptions = z.infer<typeof optionsSchema>;

class UsageError extends Error {}

export function parseStuckOptions(args: string[]): StuckOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args,
      strict: true,
      options: {
        owner: { type: 'string' },
        query: { type: 'string' },
        portal: { type: 'string' },
        limit: { type: 'string' },
        'time-zone': { type: 'string' },
        'sync-grace-minutes': { type: 'string' },
        ui: { type: 'string' },
      },
    }).values;
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const parsed = optionsSchema.safeParse(values);
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((issue) => issue.message).join('; '));
  return parsed.data;
}

export interface NamedQuery {
  name: QueryName;
  title: string;
  query: string;
}

/** The queries `leads stuck` runs for these options, built for `now`. */
export function selectedQueries(options: StuckOptions, now: Date): NamedQuery[] {
  const { owner: ownerId, portal: portalId } = options;
  const build: Record<QueryName, () => string> = {
    'past-deadline': () => awaitingAcceptancePastDeadline(now, { ownerId, portalId }),
    'sync-wait': () => stuckInSyncWait(now, { portalId, syncGraceMinutes: options['sync-grace-minutes'] }),
    blocked: () => blockedHandoffs({ ownerId, portalId }),
    failed: () => failedHandoffs({ ownerId, portalId }),
    'reverted-today': () => revertedToday(now, { ownerId, portalId, timeZone: options['time-zone'] }),
    breached: () => breachedByOwner(ownerId ?? '', { portalId }),
  };
  const names: QueryName[] = options.query
    ? [options.query]
    : ownerId !== undefined
      ? ['past-deadline', 'blocked', 'reverted-today', 'breached']
      : ['past-deadline', 'sync-wait', 'blocked', 'failed', 'reverted-today'];
  return names.map((name) => ({ name, title: TITLES[name], query: build[name]() }));
}

export interface HandoffRow {
  workflowId: string;
  stage: string;
  ownerId?: string;
  deadline?: string;
  /** Where and why a blocked handoff stopped ("assignLead INACTIVE_OWNER_OR_USER"). */
  blockedOn?: string;
}

function rowOf(execution: WorkflowExecutionInfo): HandoffRow {
  const attributes = execution.typedSearchAttributes;
  return {
    workflowId: execution.workflowId,
    stage: attributes.get(LEAD_STAGE) ?? '—',
    ownerId: attributes.get(OWNER_ID),
    deadline: attributes.get(SLA_DEADLINE)?.toISOString(),
    blockedOn: blockedCause(attributes.get(BLOCKED_STEP), attributes.get(BLOCKED_CODE)),
  };
}

/** The first `limit` handoffs matching `query`, and how many match in all. */
export async function listHandoffs(client: Client, query: string, limit: number): Promise<{ rows: HandoffRow[]; total: number }> {
  const rows: HandoffRow[] = [];
  for await (const execution of client.workflow.list({ query, pageSize: Math.min(limit, 1000) })) {
    rows.push(rowOf(execution));
    if (rows.length >= limit) break;
  }
  const total = rows.length < limit ? rows.length : (await client.workflow.count(query)).count;
  return { rows, total };
}

function blockedCause(step: string | undefined, code: string | undefined): string | undefined {
  return step === undefined ? undefined : `${step} ${code ?? '?'}`;
}

export function formatRows(rows: HandoffRow[]): string[] {
  const width = Math.max(0, ...rows.map((r) => r.workflowId.length));
  return rows.map(
    (r) =>
      `  ${r.workflowId.padEnd(width)}  ${r.stage.padEnd(18)}  owner ${(r.ownerId ?? '—').padEnd(18)}  ${r.blockedOn !== undefined ? `blocked on ${r.blockedOn}` : `deadline ${r.deadline ?? '—'}`}`,
  );
}

/** "assignLead INACTIVE_OWNER_OR_USER: 3" lines, most frequent cause first. */
export function causeCounts(rows: HandoffRow[]): string[] {
  const counts = new Map<string, number>();
  for (const row of rows) if (row.blockedOn !== undefined) counts.set(row.blockedOn, (counts.get(row.blockedOn) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([cause, n]) => `  by cause: ${cause}: ${n}`);
}

async function stuck(options: StuckOptions): Promise<number> {
  const queries = selectedQueries(options, new Date());
  const namespace = loadClientConfig().temporal.namespace;
  const client = await connectClientFromEnv();
  try {
    for (const { name, title, query } of queries) {
      // Blocked handoffs are all read, however many, so the count by cause covers every one of them.
      const { rows, total } = await listHandoffs(client, query, name === 'blocked' ? Number.MAX_SAFE_INTEGER : options.limit);
      console.log(`${title}: ${total}`);
      console.log(`  query: ${query}`);
      if (options.ui) console.log(`  UI:    ${workflowsPageUrl(options.ui, namespace, query)}`);
      if (name === 'blocked') for (const line of causeCounts(rows)) console.log(line);
      const shown = rows.slice(0, options.limit);
      for (const line of formatRows(shown)) console.log(line);
      if (total > shown.length) console.log(`  … and ${total - shown.length} more (raise --limit, or open the query in the UI)`);
      console.log('');
    }
    return 0;
  } finally {
    await client.connection.close();
  }
}

export async function run(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  try {
    if (sub !== 'stuck') throw new UsageError(sub ? `unknown subcommand "${sub}"` : 'missing subcommand');
    return await stuck(parseStuckOptions(rest));
  } catch (err) {
    if (err instanceof UsageError || err instanceof RangeError) {
      console.error(`leads: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    if (err instanceof ConfigError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  }
}
