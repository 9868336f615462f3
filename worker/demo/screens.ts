/**
 * What the demo prints before the simulation starts and after it ends: where each part runs, what
 * the run will do, and at the end where every artefact is, with ready-to-click Web UI links (the
 * stuck-lead query of worker/stuck-queries.ts, narrowed to this run's portal).
 */
import { basename, relative } from 'node:path';
import type { Contract } from '../../mappings/contract';
import type { Sandboxes } from '../../sandbox';
import type { ReconcileResult } from '../../api/reconcile';
import { awaitingAcceptancePastDeadline, workflowsPageUrl } from '../stuck-queries';
import { OUTCOME_CLASSES, OUTCOME_DESCRIPTIONS, type PlannedLead } from './lead-plan';
import type { DemoSettings } from './settings';

interface ScreenBase {
  uiUrl: string;
  namespace: string;
  ingressUrl: string;
  portalId: string;
  dataDir: string;
  logFile: string;
  contractFile: string;
  settings: DemoSettings;
}

/** Paths under the working directory are shown relative: shorter, and what people type. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') ? path : rel;
}

export function startupScreen(s: ScreenBase & { sandboxes: Sandboxes; chatUrl: string; plan: PlannedLead[]; cleared: { terminated: number; schedulesDeleted: number }; contract: Contract; encrypted: boolean }): string[] {
  const h = s.contract.handoff;
  const counts = OUTCOME_CLASSES.map((c) => [c, s.plan.filter((p) => p.outcome === c).length] as const).filter(([, n]) => n > 0);
  return [
    '',
    'handoff-bridge is running (sandbox demo)',
    `  Temporal Web UI   ${s.uiUrl}   history kept in ${shown(s.dataDir)}/; payloads ${s.encrypted ? 'encrypted, decoded for the UI by the bridge codec (loopback only)' : 'not encrypted'}`,
    `  Bridge ingress    ${s.ingressUrl}   webhooks, signed links, /codec, /dashboard, /healthz`,
    `  HubSpot sandbox   ${s.sandboxes.hubspot.baseUrl}   portal ${s.portalId}, webhooks to the ingress`,
    `  Salesforce        ${s.sandboxes.salesforce.instanceUrl}   connector syncs every ${s.settings.syncSeconds} s`,
    `  Chat (Slack)      ${s.chatUrl}   where the simulated reps read their alerts`,
    `  Bridge log        ${shown(s.logFile)}   JSON, secrets and personal data redacted`,
    `  Contract          ${shown(s.contractFile)}   the default preset with compressed clocks: ${h.acceptanceWindowBusinessMinutes}-minute acceptance window, reminder ${h.reminderBeforeBreachBusinessMinutes} min before breach, ${h.reassignLimit} reassignment(s), sync grace ${h.syncGraceMinutes} min, open 24/7`,
    ...(s.cleared.terminated || s.cleared.schedulesDeleted
      ? [`  Earlier demo run  ${s.cleared.terminated} open workflow(s) terminated, ${s.cleared.schedulesDeleted} schedule(s) deleted (their sandbox records are gone)`]
      : []),
    '',
    `${s.plan.length} leads will become MQLs, one every ${(s.settings.paceMs / 1000).toFixed(1)} s. The plan:`,
    ...counts.map(([c, n]) => `  ${String(n).padStart(3)}  ${c}: ${OUTCOME_DESCRIPTIONS[c]}`),
    '',
  ];
}

export function finalScreen(s: ScreenBase & { report: ReconcileResult; slaDocument: string; summaryFile: string; now: Date }): string[] {
  const thisRun = workflowsPageUrl(s.uiUrl, s.namespace, `WorkflowId STARTS_WITH "handoff:${s.portalId}:"`);
  const stuck = workflowsPageUrl(s.uiUrl, s.namespace, awaitingAcceptancePastDeadline(s.now, { portalId: s.portalId }));
  const drift = Object.entries(s.report.counts)
    .filter(([, n]) => n > 0)
    .map(([c, n]) => `${c} ${n}`)
    .join(', ');
  return [
    '',
    'Where everything is',
    `  Temporal Web UI        ${s.uiUrl}`,
    `  This run's handoffs    ${thisRun}`,
    `  Stuck leads (query)    ${stuck}`,
    `  SLA dashboard          ${s.ingressUrl}/dashboard`,
    `  Reconciliation report  ${shown(s.report.reportDirectory)}/ (${s.report.files.map((f) => basename(f)).join(', ')})`,
    `                         ${s.report.contacts} contacts, ${s.report.leads} leads; commitments met ${s.report.commitmentsMet} of ${s.report.commitmentsMeasured} measured; drift: ${drift || 'none'}`,
    `  SLA document           ${shown(s.slaDocument)}   rendered from ${shown(s.contractFile)}, the contract this run enforced`,
    `  Run summary            ${shown(s.summaryFile)}`,
    '',
  ];
}

export interface UrlCheck {
  name: string;
  url: string;
  status: number;
}

/** HANDOFF_DEMO_EXIT=1 (CI): before exiting, prove the UI and the dashboard answer. */
export async function selfCheck(urls: { uiUrl: string; dashboardUrl: string }): Promise<UrlCheck[]> {
  const check = async (name: string, url: string): Promise<UrlCheck> => {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
      await response.arrayBuffer();
      return { name, url, status: response.status };
    } catch {
      return { name, url, status: 0 };
    }
  };
  return [await check('Temporal Web UI', urls.uiUrl), await check('SLA dashboard', urls.dashboardUrl)];
}
