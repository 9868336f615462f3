/**
 * `handoff-bridge leads stuck`: the stuck-lead visibility queries, run against Temporal, printing the
 * matching handoffs and the exact query string to paste into the Web UI (worker/stuck-queries.ts).
 */
import { Option, type Command } from '@commander-js/extra-typings';
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { usageError, withExamples } from '../cli/declare';
import { exitWith } from '../cli/errors';
import { httpUrl, nonNegativeNumber, positiveInteger, validated } from '../cli/values';
import { loadClientConfig } from '../config';
import { connectClientFromEnv } from '../temporal-client';
import {
  awaitingAcceptancePastDeadline,
  blockedHandoffs,
  breachedByOwner,
  failedHandoffs,
  DEFAULT_SYNC_GRACE_MINUTES,
  revertedToday,
  stuckInSyncWait,
  waitingForRep,
  workflowsPageUrl,
} from '../stuck-queries';
import { formatRecordedPools, recordedPools } from '../pool-history';
import { BLOCKED_CODE, BLOCKED_STEP, LEAD_STAGE, OWNER_ID, ROUTING_WAIT, SLA_DEADLINE } from '../../api/search-attributes';

export const summary = 'list stuck handoffs and the visibility queries behind them: leads stuck [--owner ID] [--query NAME]';

export const QUERY_NAMES = ['past-deadline', 'sync-wait', 'routing', 'blocked', 'failed', 'reverted-today', 'breached'] as const;
export type QueryName = (typeof QUERY_NAMES)[number];
/** `--query` takes a visibility query's name, or the routing pool's section alone (no visibility read). */
export const SECTION_NAMES = [...QUERY_NAMES, 'routing-pool'] as const;
export type SectionName = (typeof SECTION_NAMES)[number];

const TITLES: Record<QueryName, string> = {
  'past-deadline': 'Awaiting acceptance past deadline',
  'sync-wait': 'Stuck in sync wait',
  routing: 'Waiting for a rep (RoutingWait: capacity = every rep capped, off_hours = nobody working, no_rep = nobody can take it)',
  blocked: 'Blocked (a CRM refused a write; fix it, then `lead retry`)',
  failed: 'Ended Failed',
  'reverted-today': 'Reverted today',
  breached: 'Breached by owner',
};

export interface StuckOptions {
  owner?: string;
  query?: SectionName;
  portal?: string;
  limit: number;
  timeZone: string;
  syncGraceMinutes: number;
  ui?: string;
  json?: boolean;
}

/** Options that do not fit together, said before connecting to anything. */
export function stuckOptionsProblem(options: StuckOptions): string | undefined {
  if (options.query === 'breached' && options.owner === undefined) return '--query breached needs --owner ID';
  if (options.query === 'sync-wait' && options.owner !== undefined) return 'a lead waiting for the connector has no owner yet: drop --owner for --query sync-wait';
  return undefined;
}

export interface NamedQuery {
  name: QueryName;
  title: string;
  query: string;
}

/** The queries `leads stuck` runs for these options, built for `now`. */
export function selectedQueries(options: StuckOptions, now: Date): NamedQuery[] {
  if (options.query === 'routing-pool') return [];
  const { owner: ownerId, portal: portalId } = options;
  const build: Record<QueryName, () => string> = {
    'past-deadline': () => awaitingAcceptancePastDeadline(now, { ownerId, portalId }),
    'sync-wait': () => stuckInSyncWait(now, { portalId, syncGraceMinutes: options.syncGraceMinutes }),
    routing: () => waitingForRep({ portalId }),
    blocked: () => blockedHandoffs({ ownerId, portalId }),
    failed: () => failedHandoffs({ ownerId, portalId }),
    'reverted-today': () => revertedToday(now, { ownerId, portalId, timeZone: options.timeZone }),
    breached: () => breachedByOwner(ownerId ?? '', { portalId }),
  };
  const names: QueryName[] = options.query
    ? [options.query]
    : ownerId !== undefined
      ? ['past-deadline', 'blocked', 'reverted-today', 'breached']
      : ['past-deadline', 'sync-wait', 'routing', 'blocked', 'failed', 'reverted-today'];
  return names.map((name) => ({ name, title: TITLES[name], query: build[name]() }));
}

export interface HandoffRow {
  workflowId: string;
  stage: string;
  ownerId?: string;
  deadline?: string;
  /** Where and why a blocked handoff stopped ("assignLead INACTIVE_OWNER_OR_USER"). */
  blockedOn?: string;
  /** Why no rep took the lead yet (RoutingWait: capacity, off_hours, no_rep). */
  routingWait?: string;
}

function rowOf(execution: WorkflowExecutionInfo): HandoffRow {
  const attributes = execution.typedSearchAttributes;
  return {
    workflowId: execution.workflowId,
    stage: attributes.get(LEAD_STAGE) ?? '—',
    ownerId: attributes.get(OWNER_ID),
    deadline: attributes.get(SLA_DEADLINE)?.toISOString(),
    blockedOn: blockedCause(attributes.get(BLOCKED_STEP), attributes.get(BLOCKED_CODE)),
    routingWait: attributes.get(ROUTING_WAIT),
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
      `  ${r.workflowId.padEnd(width)}  ${r.stage.padEnd(18)}  owner ${(r.ownerId ?? '—').padEnd(18)}  ${r.blockedOn !== undefined ? `blocked on ${r.blockedOn}` : r.routingWait !== undefined ? `waiting: ${r.routingWait}` : `deadline ${r.deadline ?? '—'}`}`,
  );
}

/** Blocked handoffs counted by cause ("assignLead INACTIVE_OWNER_OR_USER"), most frequent cause first. */
export function causeTally(rows: HandoffRow[]): Array<{ cause: string; count: number }> {
  const counts = new Map<string, number>();
  for (const row of rows) if (row.blockedOn !== undefined) counts.set(row.blockedOn, (counts.get(row.blockedOn) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([cause, count]) => ({ cause, count }));
}

/** Runs the selected queries and prints each one's handoffs (or all of it as JSON). */
export async function stuck(options: StuckOptions): Promise<number> {
  const queries = selectedQueries(options, new Date());
  const namespace = loadClientConfig().temporal.namespace;
  const client = await connectClientFromEnv();
  try {
    const results = [];
    for (const { name, title, query } of queries) {
      // Blocked handoffs are all read, however many, so the count by cause covers every one of them.
      const { rows, total } = await listHandoffs(client, query, name === 'blocked' ? Number.MAX_SAFE_INTEGER : options.limit);
      const shown = rows.slice(0, options.limit);
      const byCause = name === 'blocked' ? causeTally(rows) : undefined;
      const uiUrl = options.ui ? workflowsPageUrl(options.ui, namespace, query) : undefined;
      results.push({ name, title, query, total, rows: shown, ...(byCause ? { byCause } : {}), ...(uiUrl ? { uiUrl } : {}) });
      if (options.json) continue;
      console.log(`${title}: ${total}`);
      console.log(`  query: ${query}`);
      if (uiUrl) console.log(`  UI:    ${uiUrl}`);
      for (const { cause, count } of byCause ?? []) console.log(`  by cause: ${cause}: ${count}`);
      for (const line of formatRows(shown)) console.log(line);
      if (total > shown.length) console.log(`  … and ${total - shown.length} more (raise --limit, or open the query in the UI)`);
      console.log('');
    }
    // With the whole picture, or alone: one visibility query (--query NAME) is all that was asked for.
    const pools = options.query === undefined || options.query === 'routing-pool' ? await recordedPools(client, options.portal) : undefined;
    if (options.json) console.log(JSON.stringify(pools ? [...results, { name: 'routing-pool', title: 'Routing pool', pools }] : results, null, 2));
    else if (pools) for (const line of formatRecordedPools(pools)) console.log(line);
    return 0;
  } finally {
    await client.connection.close();
  }
}

function timeZone(value: string): string {
  // Intl throws a RangeError for a zone it does not know.
  new Intl.DateTimeFormat('en', { timeZone: value });
  return value;
}

export function register(program: Command): void {
  const leads = program.command('leads').description('list handoffs across leads');
  withExamples(leads, 'leads stuck --owner 4711');
  const command = leads
    .command('stuck')
    .description(
      'list stuck, blocked (counted by cause) and failed handoffs and the visibility queries behind them. ' +
        'Without --query: past-deadline, sync-wait, blocked, failed and reverted-today, ' +
        'or with --owner: past-deadline, blocked, reverted-today and breached for that owner (a lead waiting for the connector has no owner yet); ' +
        'then, without --query, the routing pool (routing.pool) as the routing queue recorded it: who is routable, who is kept out and why, and its last changes.',
    )
    .option('--owner <id>', 'only this HubSpot owner')
    .addOption(new Option('--query <name>', 'run one query (routing-pool: only the routing pool section)').choices(SECTION_NAMES))
    .option('--portal <id>', 'only this HubSpot portal')
    .option('--limit <n>', 'handoffs listed per query', positiveInteger, 50)
    .option('--time-zone <zone>', "the zone whose midnight starts 'today'", validated(timeZone), 'UTC')
    .option('--sync-grace-minutes <minutes>', 'how long a sync may take before the lead counts as stuck', nonNegativeNumber, DEFAULT_SYNC_GRACE_MINUTES)
    .option('--ui <url>', 'the Temporal Web UI, to print a link per query', httpUrl)
    .option('--json', 'print the results as JSON (for scripts)');
  withExamples(command, 'leads stuck', 'leads stuck --owner 4711 --ui http://127.0.0.1:8233', 'leads stuck --query blocked --json');
  command.action((options, self) => {
    const problem = stuckOptionsProblem(options);
    if (problem) usageError(self, problem);
    return exitWith(stuck(options));
  });
}
