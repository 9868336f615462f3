/**
 * The watcher's contact-attempt feed: Salesforce Tasks created since an instant, on any lead, with the
 * HubSpot contact their lead names, so a first attempt reaches its handoff within one watcher poll
 * instead of when the attempt window closes. Tasks of the position's own second are read again each
 * poll (SOQL compares whole seconds); the handoff keeps the earliest, so a repeat changes nothing.
 */
import { SALESFORCE_LEAD_FIELDS as SF, SALESFORCE_TASK_FIELDS as TASK } from '../../mappings/crm';
import type { CreatedTask } from '../ports';
import { isoInstant, type queryPageSchema } from './salesforce-records';
import { soqlLiteral } from './soql';
import type { z } from 'zod';

type Page = z.infer<typeof queryPageSchema>['records'];
export type RunQuery = (soql: string) => Promise<Page>;

const LEAD_PREFIX = '00Q';
/** Lead ids per `IN (…)` lookup. */
const LOOKUP_BATCH = 200;

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

export async function tasksCreatedSince(run: RunQuery, input: { since: string; limit: number }): Promise<{ tasks: CreatedTask[]; since: string }> {
  const limit = Math.max(1, Math.min(input.limit, 2000));
  const second = new Date(Math.floor(Date.parse(input.since) / 1000) * 1000);
  const rows = await run(
    `SELECT Id, ${TASK.whoId}, ${TASK.type}, ${TASK.createdDate} FROM Task WHERE ${TASK.createdDate} >= ${soqlLiteral(second)} ORDER BY ${TASK.createdDate} ASC, Id ASC LIMIT ${limit}`,
  );
  const leadIds = [...new Set(rows.map((r) => text(r[TASK.whoId])).filter((id) => id.startsWith(LEAD_PREFIX)))];
  const contactOf = new Map<string, string | null>();
  for (let i = 0; i < leadIds.length; i += LOOKUP_BATCH) {
    const ids = leadIds.slice(i, i + LOOKUP_BATCH).map(soqlLiteral).join(', ');
    for (const lead of await run(`SELECT Id, ${SF.hubspotContactId} FROM Lead WHERE Id IN (${ids})`)) contactOf.set(lead.Id, text(lead[SF.hubspotContactId]) || null);
  }
  const tasks = rows.map((r) => {
    const whoId = text(r[TASK.whoId]);
    return { id: r.Id, leadId: whoId, type: text(r[TASK.type]), createdAt: isoInstant(text(r[TASK.createdDate])), hubspotContactId: contactOf.get(whoId) ?? null };
  });
  return { tasks, since: tasks.at(-1)?.createdAt ?? input.since };
}
