/**
 * The floor: a bare workflow with the handoff's shape and nothing else. The handoff reads its policy
 * (local activity), reads the contact (HubSpot queue), routes and assigns (Salesforce queue), then
 * writes the stamps (HubSpot queue) while alerting (local activity); so does this, with activities
 * that return at once. What it takes is what Temporal and the worker cost on this machine.
 */
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { FloorActivities } from './floor-activities';

export interface FloorInput {
  hubspotQueue: string;
  salesforceQueue: string;
}

export async function floorHandoff(input: FloorInput): Promise<string> {
  const local = proxyLocalActivities<FloorActivities>({ startToCloseTimeout: '10 seconds' });
  const hubspot = proxyActivities<FloorActivities>({ startToCloseTimeout: '30 seconds', taskQueue: input.hubspotQueue });
  const salesforce = proxyActivities<FloorActivities>({ startToCloseTimeout: '30 seconds', taskQueue: input.salesforceQueue });
  await local.policy();
  const contact = await hubspot.read();
  const owner = await salesforce.assign(contact);
  await Promise.all([hubspot.write(owner), local.alert(owner)]);
  return owner;
}
