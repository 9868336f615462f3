/**
 * Repairs, per the policy: each action sets a value (or starts a handoff with USE_EXISTING), so
 * running it twice changes nothing the second time. Progress is heartbeated; a retried activity
 * skips what it already did. A repair the CRM refuses (not found, invalid) is recorded as failed;
 * a transient failure fails the activity so Temporal retries it.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure, type Client } from '@temporalio/client';
import { HUBSPOT_PROPERTIES as HS, NON_RETRYABLE_CRM_ERRORS } from '../../mappings/crm';
import type { DriftOutcome, RepairAction } from '../../mappings/metrics';
import { HANDOFF_WORKFLOW, type HandoffInput } from '../../api/handoff';
import { handoffWorkflowId } from '../../api/ids';
import type { DriftFile } from './reconcile-classify';
import { FILES, readJson } from './reconcile-files';
import type { ReportStore } from './reconcile-ports';
import type { HubSpotPort, SalesforcePort } from '../ports';

export interface RepairRecord {
  outcome: Extract<DriftOutcome, 'repaired' | 'repair_failed'>;
  detail: string;
}

export type RepairsFile = Record<string, RepairRecord>;

export interface RepairDeps {
  hubspot: HubSpotPort;
  salesforce: SalesforcePort;
  client: Client;
  store: ReportStore;
}

function describe(action: RepairAction): string {
  switch (action.kind) {
    case 'hubspot_lifecycle':
      return `HubSpot lifecycle → ${action.stage}${action.leadStatus ? `, lead status → ${action.leadStatus}` : ''}`;
    case 'hubspot_properties':
      return `HubSpot ${Object.entries(action.properties).map(([k, v]) => `${k} → ${v}`).join(', ')}`;
    case 'salesforce_fields':
      return `Salesforce ${Object.entries(action.fields).map(([k, v]) => `${k} → ${v ?? 'blank'}`).join(', ')}`;
    case 'start_handoff':
      return 'handoff started';
  }
}

function isPermanent(err: unknown): err is ApplicationFailure {
  return err instanceof ApplicationFailure && (err.nonRetryable || NON_RETRYABLE_CRM_ERRORS.includes(err.type ?? ''));
}

export function createRepairActivities(deps: RepairDeps) {
  const apply = async (action: RepairAction, context: { portalId: string; handoffTaskQueue: string; now: string }): Promise<void> => {
    switch (action.kind) {
      case 'hubspot_lifecycle':
        await deps.hubspot.setLifecycleStage({ contactId: action.contactId, stage: action.stage });
        if (action.leadStatus) await deps.hubspot.updateContact({ contactId: action.contactId, properties: { [HS.leadStatus]: action.leadStatus } });
        return;
      case 'hubspot_properties':
        await deps.hubspot.updateContact({ contactId: action.contactId, properties: action.properties });
        return;
      case 'salesforce_fields':
        await deps.salesforce.updateLead({ leadId: action.leadId, fields: action.fields });
        return;
      case 'start_handoff': {
        const args: [HandoffInput] = [{ portalId: context.portalId, contactId: action.contactId, trigger: { source: 'sweep', observedAt: context.now } }];
        await deps.client.workflow.start(HANDOFF_WORKFLOW, {
          workflowId: handoffWorkflowId({ portalId: context.portalId, contactId: action.contactId }),
          taskQueue: context.handoffTaskQueue,
          args,
          workflowIdConflictPolicy: 'USE_EXISTING',
        });
        return;
      }
    }
  };

  return {
    async applyRepairs(input: { runId: string; portalId: string; handoffTaskQueue: string; now: string }): Promise<{ repaired: number; failed: number }> {
      const drift = await readJson<DriftFile>(deps.store, input.runId, FILES.drift, { runId: input.runId, policy: {} as DriftFile['policy'], items: [] });
      const due = drift.items.filter((i) => i.repair && drift.policy[i.class] === 'repair');
      const details: unknown = Context.current().info.heartbeatDetails;
      const records: RepairsFile = details && typeof details === 'object' ? (details as RepairsFile) : {};
      for (const item of due) {
        if (records[item.key]) continue;
        const actions = item.repair ?? [];
        try {
          for (const action of actions) await apply(action, input);
          records[item.key] = { outcome: 'repaired', detail: actions.map(describe).join('; ') };
        } catch (err) {
          if (!isPermanent(err)) throw err;
          records[item.key] = { outcome: 'repair_failed', detail: `${err.type ?? 'Error'}: ${err.message}` };
        }
        Context.current().heartbeat(records);
      }
      await deps.store.write({ runId: input.runId, name: FILES.repairs, content: JSON.stringify(records) });
      const values = Object.values(records);
      return { repaired: values.filter((r) => r.outcome === 'repaired').length, failed: values.filter((r) => r.outcome === 'repair_failed').length };
    },
  };
}
