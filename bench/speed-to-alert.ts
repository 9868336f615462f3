/**
 * Speed-to-alert: a signed HubSpot webhook reaches the ingress → the lead has an owner in Salesforce
 * and the rep's alert has arrived. One lead at a time, sandboxes at zero latency, so the figure is
 * the bridge's own overhead (Temporal round trips, activities, the CRM calls on loopback).
 */
import { SALESFORCE_LEAD_FIELDS as SF } from '../mappings/crm';
import type { BridgeRun } from './support/bridge-run';
import { mqlEvent, sendWebhook } from './support/ingress';

export interface SpeedToAlertResult {
  /** Milliseconds from sending the webhook to the alert's arrival, warm-up excluded. */
  latencies: number[];
  warmup: number;
  /** Leads whose Salesforce owner was one of the contract's reps when their alert arrived. */
  ownerSetAtAlert: number;
  /** Every lead handed off, warm-up included (they now await acceptance). */
  contactIds: string[];
  /** Per measured lead: its workflow, when its webhook was sent and its alert arrived (for hot-timeline.ts). */
  sent: Array<{ workflowId: string; sentAt: number; arrivedAt: number }>;
}

export async function measureSpeedToAlert(run: BridgeRun, samples: number, warmup = 3): Promise<SpeedToAlertResult> {
  const reps = new Set(run.contract.routing.reps.map((rep) => rep.id));
  const latencies: number[] = [];
  const contactIds: string[] = [];
  let ownerSetAtAlert = 0;
  const sent: SpeedToAlertResult['sent'] = [];
  for (let i = 0; i < samples + warmup; i++) {
    const contactId = run.createMql();
    contactIds.push(contactId);
    const sentAt = Date.now();
    const { status } = await sendWebhook(run.ingress.url, [mqlEvent(run.portalId, contactId)], run.sandboxes.hubspot.clientSecret);
    if (status !== 200) throw new Error(`the ingress answered ${status} to a signed MQL webhook`);
    const arrivedAt = await run.inbox.waitForAlert(run.workflowIdOf(contactId), 30_000);
    const lead = run.sandboxes.salesforce.store.list('Lead').find((l) => l.fields[SF.hubspotContactId] === contactId);
    if (i < warmup) continue;
    latencies.push(arrivedAt - sentAt);
    sent.push({ workflowId: run.workflowIdOf(contactId), sentAt, arrivedAt });
    if (reps.has(String(lead?.fields[SF.ownerId] ?? ''))) ownerSetAtAlert += 1;
  }
  return { latencies, warmup, ownerSetAtAlert, contactIds, sent };
}
