/**
 * The floor: a bare workflow with the handoff's shape and nothing else. The handoff reads its policy
 * (local activity), reads the contact (HubSpot queue), routes and assigns (Salesforce queue), then
 * writes the stamps (HubSpot queue) while alerting (local activity); so does this, with activities
 * that return at once. What it takes is what Temporal and the worker cost on this machine.
 */
import { proxyActivities, proxyLocalActivities, upsertMemo, upsertSearchAttributes } from '@temporalio/workflow';
import { LEAD_SOURCE, LEAD_STAGE, OWNER_ID, REASSIGN_COUNT, SLA_DEADLINE } from '../../api/search-attributes';
import type { FloorActivities } from './floor-activities';

export interface FloorInput {
  hubspotQueue: string;
  salesforceQueue: string;
}

/** What a variant does between the floor's steps, in the same workflow tasks. */
interface Between {
  afterRead?(contact: string): void;
  afterAlert?(owner: string): void;
}

async function floorSteps(input: FloorInput, between: Between): Promise<string> {
  const local = proxyLocalActivities<FloorActivities>({ startToCloseTimeout: '10 seconds' });
  const hubspot = proxyActivities<FloorActivities>({ startToCloseTimeout: '30 seconds', taskQueue: input.hubspotQueue });
  const salesforce = proxyActivities<FloorActivities>({ startToCloseTimeout: '30 seconds', taskQueue: input.salesforceQueue });
  await local.policy();
  const contact = await hubspot.read();
  between.afterRead?.(contact);
  const owner = await salesforce.assign(contact);
  await Promise.all([hubspot.write(owner), local.alert(owner)]);
  between.afterAlert?.(owner);
  return owner;
}

// Not async: the floor's own promises are the steps' alone.
export function floorHandoff(input: FloorInput): Promise<string> {
  return floorSteps(input, {});
}

/**
 * The floor with the visibility writes a handoff made before its publishing was narrowed
 * (workflows/handoff/run.ts): its label and first attributes in the workflow task after the contact
 * read, and the assignment's attributes in the one after the alert (FLOOR_VISIBILITY_WRITES in
 * floor-queues.ts). Nothing else differs, so the two side by side give what a visibility write costs.
 */
export function floorWithVisibility(input: FloorInput): Promise<string> {
  return floorSteps(input, {
    afterRead(contact) {
      upsertMemo({ lead: `Example Ltd (${contact})` });
      upsertSearchAttributes([
        { key: LEAD_SOURCE, value: 'ORGANIC_SEARCH' },
        { key: LEAD_STAGE, value: 'MQL' },
      ]);
    },
    afterAlert() {
      upsertSearchAttributes([
        { key: OWNER_ID, value: '005000000000001' },
        { key: SLA_DEADLINE, value: new Date(0) },
        { key: REASSIGN_COUNT, value: 0 },
        { key: LEAD_STAGE, value: 'AwaitingAcceptance' },
      ]);
    },
  });
}
