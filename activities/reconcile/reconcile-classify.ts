/**
 * Classification, on the worker's disk rather than in workflow history: reads the run's snapshots,
 * classifies drift with the contract's pure rules, marks what the previous run had not seen, and
 * writes the full list; the workflow receives counts only.
 */
import { classifyDrift, countByClass, type DriftClass, type DriftItem, type RepairPolicy } from '../../mappings/metrics';
import type { Contract } from '../../mappings/contract';
import { FILES, readContacts, readHistories, readJson, readLeads, type HandoffsFile, type PeopleFile } from './reconcile-files';
import type { ReportStore } from './reconcile-ports';

export interface DriftFile {
  runId: string;
  previousRunId?: string;
  policy: RepairPolicy;
  items: Array<DriftItem & { isNew: boolean }>;
}

export interface ClassifyResult {
  counts: Record<DriftClass, number>;
  newCount: number;
  toRepair: number;
  contacts: number;
  leads: number;
  histories: number;
  previousRunId?: string;
}

export async function previousRun(store: ReportStore, runId: string, name: string): Promise<string | undefined> {
  return (await store.runsWith(name)).filter((r) => r < runId).pop();
}

export function createClassifyActivities(deps: { store: ReportStore; contract: () => Contract }) {
  return {
    async classifyRun(input: { runId: string; now: string; policy: RepairPolicy; flipFlopWindowDays: number }): Promise<ClassifyResult> {
      const { store } = deps;
      const [contacts, leads, histories] = await Promise.all([readContacts(store, input.runId), readLeads(store, input.runId), readHistories(store, input.runId)]);
      const people = await readJson<PeopleFile>(store, input.runId, FILES.people, { owners: [], users: [] });
      const handoffs = await readJson<HandoffsFile>(store, input.runId, FILES.handoffs, { open: [], stuck: [] });
      const items = classifyDrift({
        contract: deps.contract(),
        now: new Date(input.now),
        contacts,
        leads,
        owners: people.owners,
        users: people.users,
        histories,
        openHandoffs: handoffs.open,
        stuckHandoffs: handoffs.stuck,
        flipFlopWindowDays: input.flipFlopWindowDays,
      });
      const previousRunId = await previousRun(store, input.runId, FILES.drift);
      const seen = new Set(previousRunId ? (await readJson<DriftFile>(store, previousRunId, FILES.drift, { runId: previousRunId, policy: input.policy, items: [] })).items.map((i) => i.key) : []);
      const marked = items.map((item) => ({ ...item, isNew: !seen.has(item.key) }));
      const file: DriftFile = { runId: input.runId, policy: input.policy, items: marked, ...(previousRunId ? { previousRunId } : {}) };
      await store.write({ runId: input.runId, name: FILES.drift, content: JSON.stringify(file) });
      const result: ClassifyResult = {
        counts: countByClass(items),
        newCount: marked.filter((i) => i.isNew).length,
        toRepair: items.filter((i) => i.repair && input.policy[i.class] === 'repair').length,
        contacts: contacts.length,
        leads: leads.length,
        histories: histories.length,
      };
      if (previousRunId) result.previousRunId = previousRunId;
      return result;
    },
  };
}
