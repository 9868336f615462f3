/**
 * The report: joins the run's snapshots into lead facts, computes the SLA figures with the
 * contract's pure rules, merges drift findings with what the repairs did, and writes the JSON
 * report plus every rendering (Markdown, HTML, CSV) into the run's directory.
 */
import { readFile } from 'node:fs/promises';
import { HUBSPOT_PROPERTIES as HS, SALESFORCE_LEAD_FIELDS as SF, taskChannel } from '../../mappings/crm';
import { countByClass, pairContacts, type RepairPolicy, type LeadFacts, buildSlaReport, type DriftReportItem, type ReconcileReport, earlierReportSchema, type EarlierReport, handoffHealth } from '../../mappings/metrics';
import type { Contract } from '../../mappings/contract';
import type { DriftFile } from './reconcile-classify';
import { FILES, readContacts, readJson, readLeads, type ExtrasFile, type HandoffsFile } from './reconcile-files';
import type { ReportRenderer, ReportStore } from './reconcile-ports';
import type { RepairsFile } from './reconcile-repair';

const DAY_MS = 86_400_000;
/** A "quarterly" comparison looks for the newest saved report at least this old. */
const QUARTER_MIN_DAYS = 80;

export interface ReportInput {
  runId: string;
  portalId: string;
  now: string;
  windowDays: number;
  apiCalls: { hubspot: number; salesforce: number };
  histories: number;
  /** An earlier JSON report to compare with (a file path); else the newest stored one ≥ 80 days old. */
  compareWithFile?: string;
}

export interface ReportResult {
  directory: string;
  files: string[];
  signalsMissing: number;
  commitmentsMet: number;
  commitmentsMeasured: number;
}

async function earlierReport(store: ReportStore, input: ReportInput): Promise<EarlierReport | undefined> {
  if (input.compareWithFile) return earlierReportSchema.parse(JSON.parse(await readFile(input.compareWithFile, 'utf8')));
  const cutoff = Date.parse(input.now) - QUARTER_MIN_DAYS * DAY_MS;
  for (const runId of (await store.runsWith(FILES.reportJson)).reverse()) {
    if (runId >= input.runId) continue;
    const parsed = earlierReportSchema.safeParse(JSON.parse((await store.read({ runId, name: FILES.reportJson })) ?? '{}'));
    if (parsed.success && Date.parse(parsed.data.generatedAt) <= cutoff) return parsed.data;
  }
  return undefined;
}

export function createReportActivities(deps: { store: ReportStore; contract: () => Contract; renderers: ReportRenderer[] }) {
  return {
    async writeReport(input: ReportInput): Promise<ReportResult> {
      const { store } = deps;
      const contract = deps.contract();
      const [contacts, leads] = await Promise.all([readContacts(store, input.runId), readLeads(store, input.runId)]);
      const extras = await readJson<ExtrasFile | null>(store, input.runId, FILES.extras, null);
      const drift = await readJson<DriftFile>(store, input.runId, FILES.drift, { runId: input.runId, policy: {} as RepairPolicy, items: [] });
      const repairs = await readJson<RepairsFile>(store, input.runId, FILES.repairs, {});
      const handoffs = await readJson<HandoffsFile>(store, input.runId, FILES.handoffs, { open: [], stuck: [] });

      const tasksByLead = new Map<string, Array<{ createdAt: string; channel: string }>>();
      for (const task of extras?.tasks ?? []) {
        tasksByLead.set(task.leadId, [...(tasksByLead.get(task.leadId) ?? []), { createdAt: task.createdAt, channel: taskChannel(task.type) }]);
      }
      const facts: LeadFacts[] = pairContacts(contacts, leads).pairs.flatMap(({ contact, lead }) => {
        if (!contact.properties[HS.mqlDate] && !contact.properties[HS.handoffAssignedAt]) return [];
        const opportunityId = lead?.fields[SF.convertedOpportunityId];
        const fact: LeadFacts = { contactId: contact.id, hubspot: contact.properties, salesforce: lead?.fields ?? {} };
        if (lead) fact.leadId = lead.id;
        if (typeof opportunityId === 'string' && extras?.opportunityStages[opportunityId]) fact.opportunityStage = extras.opportunityStages[opportunityId];
        if (extras?.tasksRead) fact.attempts = lead ? (tasksByLead.get(lead.id) ?? []) : [];
        return [fact];
      });

      const to = new Date(input.now);
      const window = { from: new Date(to.getTime() - input.windowDays * DAY_MS).toISOString(), to: to.toISOString() };
      const earlier = await earlierReport(store, input);
      const sla = buildSlaReport({ contract, facts, window, now: input.now, ...(earlier ? { earlier } : {}) });

      const items: DriftReportItem[] = drift.items.map((item) => {
        const policy = drift.policy[item.class] ?? 'report';
        const record = repairs[item.key];
        const outcome = record?.outcome ?? (!item.repair ? 'not_repairable' : 'reported');
        const detail = record?.detail ?? item.repairNote ?? (item.repair && policy === 'report' ? 'policy: report only' : undefined);
        return { ...item, policy, outcome, ...(detail ? { outcomeDetail: detail } : {}) };
      });
      const report: ReconcileReport = {
        runId: input.runId,
        generatedAt: input.now,
        portalId: input.portalId,
        contract: { name: contract.name, version: contract.version },
        snapshot: { contacts: contacts.length, leads: leads.length, histories: input.histories, apiCalls: input.apiCalls },
        drift: {
          counts: countByClass(items),
          newCount: items.filter((i) => i.isNew).length,
          repaired: items.filter((i) => i.outcome === 'repaired').length,
          repairFailed: items.filter((i) => i.outcome === 'repair_failed').length,
          policy: drift.policy,
          ...(drift.previousRunId ? { previousRunId: drift.previousRunId } : {}),
          items,
        },
        sla,
        handoffs: handoffHealth({ open: handoffs.open.length, stuck: handoffs.stuck.length, blocked: handoffs.blocked ?? [], failed: handoffs.failed ?? [] }),
      };
      const files = [await store.write({ runId: input.runId, name: FILES.reportJson, content: JSON.stringify(report, null, 2) })];
      for (const renderer of deps.renderers) files.push(await store.write({ runId: input.runId, name: renderer.file, content: renderer.render(report) }));
      const measured = sla.commitments.filter((c) => c.met !== null);
      return {
        directory: files[0]?.replace(/[/\\][^/\\]+$/, '') ?? store.root,
        files,
        signalsMissing: sla.signalsMissing.length,
        commitmentsMet: measured.filter((c) => c.met).length,
        commitmentsMeasured: measured.length,
      };
    },
  };
}
