/** zod shapes of jsforce answers, and records reduced to the fields that were asked for. */
import { z } from 'zod';
import type { SalesforceRecord, SalesforceValue } from '../ports';

const value = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const recordSchema = z.object({ Id: z.string() }).catchall(z.unknown());

export const queryPageSchema = z.object({
  totalSize: z.number().int(),
  done: z.boolean(),
  nextRecordsUrl: z.string().optional(),
  records: z.array(recordSchema),
});

export const saveResultSchema = z.object({
  id: z.string().optional(),
  success: z.boolean(),
  created: z.boolean().optional(),
  // Collections say `statusCode`; jsforce's typing says `errorCode`. Accept either.
  errors: z.array(z.object({ statusCode: z.string().optional(), errorCode: z.string().optional(), fields: z.array(z.string()).optional() })).default([]),
});

/** Salesforce answers canonical field names; callers may have asked in any case. */
export function toPortRecord(raw: z.infer<typeof recordSchema>, fields: string[]): SalesforceRecord {
  // A page of a snapshot is 2,000 records: the lower-cased index is built only for a field not found
  // under the name asked, and zod checks only a value that is not plainly one of the four kinds.
  let byLower: Map<string, unknown> | undefined;
  const picked: Record<string, SalesforceValue> = {};
  for (const field of fields) {
    const found = Object.hasOwn(raw, field) ? raw[field] : (byLower ??= new Map(Object.entries(raw).map(([k, v]) => [k.toLowerCase(), v]))).get(field.toLowerCase());
    picked[field] = isPlainValue(found ?? null) ? ((found ?? null) as SalesforceValue) : value.parse(found);
  }
  return { id: raw.Id, fields: picked };
}

function isPlainValue(v: unknown): boolean {
  return v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
}

/** The locator of a nextRecordsUrl (`…/query/01gXXXX-2000`). */
export function locatorOf(nextRecordsUrl: string | undefined): string | undefined {
  return nextRecordsUrl?.split('/').pop();
}

/** Salesforce's "+0000" date-times as ISO instants. */
export function isoInstant(salesforceDateTime: string): string {
  return new Date(Date.parse(salesforceDateTime.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'))).toISOString();
}
