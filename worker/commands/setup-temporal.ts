/**
 * `handoff-bridge setup-temporal`: the one-time, idempotent setup of a real Temporal cluster. Creates
 * each search attribute of api/search-attributes.ts that the namespace lacks, so the stuck-lead
 * queries work. (The local dev server registers them itself, with `--search-attribute` flags.)
 *
 * Everything is checked before anything is created: an attribute that exists with another type is a
 * conflict the operator must resolve by hand (visibility data of the old type may already exist), and
 * then nothing is changed.
 */
import type { Command } from '@commander-js/extra-typings';
import type { Client } from '@temporalio/client';
import type { SearchAttributeType } from '@temporalio/common';
// @temporalio/proto is CommonJS whose named exports Node's ESM loader cannot detect: default import.
import proto from '@temporalio/proto';
import { withExamples } from '../cli/declare';
import { exitWith } from '../cli/errors';
import { loadClientConfig } from '../config';
import { connectClientFromEnv } from '../temporal-client';
import { SearchAttributeConflictError, type SearchAttributeConflict } from '../search-attribute-conflict';
import { SEARCH_ATTRIBUTES } from '../../api/search-attributes';

export const summary = 'create the search attributes the bridge needs on a Temporal cluster (idempotent)';

const { IndexedValueType } = proto.temporal.api.enums.v1;
type IndexedValueType = proto.temporal.api.enums.v1.IndexedValueType;

const INDEXED_TYPE: Record<SearchAttributeType, IndexedValueType> = {
  TEXT: IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  KEYWORD: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  INT: IndexedValueType.INDEXED_VALUE_TYPE_INT,
  DOUBLE: IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
  BOOL: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  DATETIME: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  KEYWORD_LIST: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

function typeName(indexed: IndexedValueType): string {
  return (IndexedValueType[indexed] ?? `type ${indexed}`).replace(/^INDEXED_VALUE_TYPE_/, '');
}

export interface SearchAttributeOutcome {
  name: string;
  type: SearchAttributeType;
  action: 'created' | 'present';
}

/** Creates the missing search attributes in the client's namespace; a second run changes nothing. */
export async function ensureSearchAttributes(client: Client): Promise<SearchAttributeOutcome[]> {
  const namespace = client.options.namespace;
  const { operatorService } = client.connection;
  const existing = (await operatorService.listSearchAttributes({ namespace })).customAttributes;
  const conflicts: SearchAttributeConflict[] = [];
  const missing: Record<string, IndexedValueType> = {};
  const outcomes: SearchAttributeOutcome[] = [];
  for (const { name, type } of SEARCH_ATTRIBUTES) {
    const have = existing[name];
    const wanted = INDEXED_TYPE[type];
    if (have === undefined) {
      missing[name] = wanted;
      outcomes.push({ name, type, action: 'created' });
    } else if (have !== wanted) {
      conflicts.push({ name, wanted: typeName(wanted), existing: typeName(have) });
    } else {
      outcomes.push({ name, type, action: 'present' });
    }
  }
  if (conflicts.length) throw new SearchAttributeConflictError(namespace, conflicts);
  if (Object.keys(missing).length) await operatorService.addSearchAttributes({ namespace, searchAttributes: missing });
  return outcomes;
}

/** Creates the missing search attributes and prints what it did; conflicts and connection failures reach the CLI's boundary. */
export async function setupTemporal(): Promise<number> {
  const { address, namespace } = loadClientConfig().temporal;
  console.log(`Search attributes on ${address}, namespace "${namespace}":`);
  const client = await connectClientFromEnv();
  try {
    const outcomes = await ensureSearchAttributes(client);
    const width = Math.max(...outcomes.map((o) => o.name.length));
    for (const o of outcomes) console.log(`  ${o.name.padEnd(width)}  ${o.type.padEnd(12)}  ${o.action === 'created' ? 'created' : 'already present'}`);
    const created = outcomes.filter((o) => o.action === 'created').length;
    console.log(created ? `Created ${created}, ${outcomes.length - created} already present.` : 'Nothing to do: every search attribute is present.');
    return 0;
  } finally {
    await client.connection.close();
  }
}

export function register(program: Command): void {
  const command = program
    .command('setup-temporal')
    .summary(summary)
    .description(`${summary}. Reads TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE; changes nothing if any attribute exists with another type.`);
  withExamples(command, 'setup-temporal', 'setup-temporal   # with TEMPORAL_ADDRESS=temporal.internal:7233 TEMPORAL_NAMESPACE=sales');
  command.action(() => exitWith(setupTemporal()));
}
