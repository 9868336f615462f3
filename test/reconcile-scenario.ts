/**
 * The seeded reconciliation scenario shared by the reconcile, report and dashboard tests: a few
 * healthy handoffs whose SLA figures are known by hand, and one planted drift of every class (the
 * stranded MQL in each of its known causes). Seeded straight into the sandboxes' stores; the bridge
 * then sees it only through the real clients.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { DateTime } from 'luxon';
import { createHubSpotAdapter, createSalesforceAdapter } from '../activities/crm';
import { createReconcileReadsAdapter, stuckHandoffsQuery, type ReconcileDeps } from '../activities/reconcile';
import { HUBSPOT_PROPERTIES as HS } from '../mappings/crm';
import { loadContract } from '../mappings/load';
import type { Contract } from '../mappings/contract';
import { startSandboxes, type Sandboxes } from '../sandbox';
import type { ChangeSource } from '../sandbox/hubspot/contact-store';
import { canary } from '../workflows/canary';
import { handoffWorkflowId } from '../api/ids';
import { LEAD_STAGE, SLA_DEADLINE } from '../api/search-attributes';

const MINUTE = 60_000;

/** The most recent Wednesday 10:00 (London) at least two days ago that is not a contract holiday. */
export function recentBusinessMorning(contract: Contract, now = Date.now()): Date {
  let day = DateTime.fromMillis(now - 2 * 86_400_000, { zone: contract.calendar.timeZone }).startOf('day');
  while (day.weekday !== 3 || contract.calendar.holidays.includes(day.toISODate() ?? '')) day = day.minus({ days: 1 });
  return day.set({ hour: 10 }).toJSDate();
}

export interface Scenario {
  sandboxes: Sandboxes;
  contract: Contract;
  portalId: string;
  /** Contact and lead ids by role. */
  ids: Record<string, string>;
  /** The drift keys the scenario plants, by class. */
  planted: string[];
  /** Planted keys a repair fixes. */
  repairable: string[];
  /** Workflow ids this scenario started (for teardown). */
  workflowIds: string[];
  deps: Omit<ReconcileDeps, 'client' | 'renderers' | 'store'>;
  stop(): Promise<void>;
}

/** Facts the SLA figures must show for this scenario (computed by hand, see the test file). */
export const KNOWN_ANSWERS = {
  mqlCohort: 9,
  funnelAll: { MQL: 9, SAL: 3, SQL: 1, Opportunity: 1, Won: 1 },
  funnelOrganic: { MQL: 6, SAL: 1 },
  speedToLeadAttainment: 40,
  speedToLeadMedian: 20,
  acceptanceRate: 60,
  dataCompleteness: 100,
  dispositionLogged: 40,
  /** Every attempt window (ten working days from acceptance) is still open: all three are pending. */
  contactAttemptsPending: 3,
  /** MQL → alert delivered (assigned after 60 min, alerted a minute later). */
  systemDelayMedian: 61,
  /** Alert → decision, acceptances (9, 29, 7) and rejections (14, 19) alike. */
  repDelayMedian: 14,
  rejections: { WRONG_INDUSTRY: 1, BAD_TIMING: 1 },
} as const;

/** A reconciliation's CRM dependencies on the sandboxes, paced at `rates` (the budget here). */
export function reconcileDepsFor(sandboxes: Sandboxes, contract: Contract, rates: ReconcileDeps['rates']): Scenario['deps'] {
  const hubspotOptions = { accessToken: sandboxes.hubspot.accessToken, basePath: sandboxes.hubspot.baseUrl };
  const salesforceOptions = { instanceUrl: sandboxes.salesforce.instanceUrl, loginUrl: sandboxes.salesforce.loginUrl, clientId: sandboxes.salesforce.clientId, clientSecret: sandboxes.salesforce.clientSecret };
  return {
    hubspot: createHubSpotAdapter({ ...hubspotOptions, callBudget: { calls: 100_000, perMs: 10_000 } }),
    salesforce: createSalesforceAdapter({ ...salesforceOptions, callBudget: { calls: 10_000, perMs: 1_000 } }),
    reads: createReconcileReadsAdapter({ hubspot: hubspotOptions, salesforce: salesforceOptions }),
    contract: () => contract,
    rates,
  };
}

async function untilVisible(client: Client, query: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await client.workflow.count(query)).count === 0) {
    if (Date.now() > deadline) throw new Error(`seedScenario: visibility did not list ${query} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function seedScenario(client: Client): Promise<Scenario> {
  const contract = loadContract();
  const portalId = String(70000 + Math.floor(Math.random() * 20000));
  // HubSpot stamps writes with its clock: seeding moves it back to plant contacts last touched before
  // the flip-flop window, then returns it to the present before any request is made.
  let clockOffsetMs = 0;
  const sandboxes = await startSandboxes({
    hubspot: { portalId: Number(portalId), rateLimits: { searchPerSecond: 50, tenSecondly: 1000 }, searchLagMs: 0, clock: () => Date.now() + clockOffsetMs },
  });
  const hs = sandboxes.hubspot.store;
  const sf = sandboxes.salesforce.store;
  const d = recentBusinessMorning(contract).getTime();
  const at = (minutes: number) => new Date(d + minutes * MINUTE).toISOString();
  // Planted drift happened 45 days before the healthy handoffs: outside the 30-day report window, so
  // it never moves the SLA figures. (Setting an MQL lifecycle stamps today's MQL date: override it.)
  const old = (minutes: number) => at(minutes - 45 * 24 * 60);
  const tag = randomUUID().slice(0, 6);
  const email = (who: string) => `${who}.${tag}@example.test`;

  const reps = [0, 1, 2].map((i) => {
    const repEmail = `rep${i}.${tag}@sales.example`;
    const owner = hs.addOwner({ email: repEmail, firstName: `Rep${i}`, lastName: 'Seller' });
    const user = sf.create('User', { Username: repEmail, Email: repEmail, LastName: `Rep${i}` });
    return { ownerId: owner.id, userId: user.id };
  });
  const [rep0, rep1, rep2] = reps as [(typeof reps)[0], (typeof reps)[0], (typeof reps)[0]];

  const base = { firstname: 'Ada', lastname: 'Tester', company: 'Acme GmbH', jobtitle: 'CTO', country: 'Germany', numemployees: '480', hubspotscore: '80', industry: 'Software', hs_analytics_source: 'ORGANIC_SEARCH' };
  const contact = (who: string, props: Record<string, string>, source: ChangeSource = 'IMPORT') =>
    hs.createContact({ ...base, email: email(who), ...props }, source).id;
  const lead = (fields: Record<string, unknown>) => sf.create('Lead', { LastName: 'Tester', Company: 'Acme GmbH', Status: 'Open - Not Contacted', ...fields }).id;
  const link = (contactId: string, leadId: string) => hs.update(contactId, { [HS.salesforceLeadId]: leadId }, 'SALESFORCE');
  const handoff = (mql: number, extra: Record<string, string>) => ({ [HS.mqlDate]: at(mql), [HS.handoffAssignedAt]: at(0), [HS.handoffAlertedAt]: at(1), ...extra });
  const ids: Record<string, string> = {};

  // Healthy handoffs (no drift): their stamps drive the SLA figures.
  ids.h1 = contact('h1', { lifecyclestage: 'marketingqualifiedlead', hs_lead_status: 'IN_PROGRESS', hubspot_owner_id: rep0.ownerId, ...handoff(-60, { [HS.handoffAcceptedAt]: at(10), [HS.handoffFirstAttemptAt]: at(20) }) });
  ids.h1Lead = lead({ Email: email('h1'), Status: 'Working - Contacted', OwnerId: rep0.userId, HubSpot_Contact_Id__c: ids.h1, Disposition__c: 'Connected' });
  ids.h2 = contact('h2', { lifecyclestage: 'marketingqualifiedlead', hs_lead_status: 'IN_PROGRESS', hubspot_owner_id: rep0.ownerId, hs_analytics_source: 'PAID_SEARCH', ...handoff(-60, { [HS.handoffAcceptedAt]: at(30), [HS.handoffFirstAttemptAt]: at(45) }) });
  ids.h2Lead = lead({ Email: email('h2'), Status: 'Working - Contacted', OwnerId: rep0.userId, HubSpot_Contact_Id__c: ids.h2 });
  ids.h3 = contact('h3', { lifecyclestage: 'other', hs_lead_status: 'UNQUALIFIED', hubspot_owner_id: rep0.ownerId, ...handoff(-60, { [HS.handoffOutcome]: 'DISQUALIFIED', [HS.handoffOutcomeAt]: at(15), [HS.handoffRejectionReason]: 'WRONG_INDUSTRY' }) });
  ids.h3Lead = lead({ Email: email('h3'), Status: 'Closed - Not Converted', OwnerId: rep0.userId, HubSpot_Contact_Id__c: ids.h3, Rejection_Reason__c: 'WRONG_INDUSTRY', Disposition__c: 'Wrong industry' });
  ids.h4 = contact('h4', { lifecyclestage: 'lead', hs_lead_status: 'BAD_TIMING', hubspot_owner_id: rep0.ownerId, hs_analytics_source: 'PAID_SEARCH', ...handoff(-60, { [HS.handoffOutcome]: 'REVERTED_REJECTED', [HS.handoffOutcomeAt]: at(20), [HS.handoffRejectionReason]: 'BAD_TIMING' }) });
  ids.h4Lead = lead({ Email: email('h4'), Status: 'Closed - Not Converted', OwnerId: rep0.userId, HubSpot_Contact_Id__c: ids.h4, Rejection_Reason__c: 'BAD_TIMING' });
  ids.h5 = contact('h5', { lifecyclestage: 'opportunity', hs_lead_status: 'OPEN_DEAL', hubspot_owner_id: rep0.ownerId, hs_analytics_source: 'REFERRALS', [HS.sqlDate]: at(60), ...handoff(-60, { [HS.handoffAcceptedAt]: at(8), [HS.handoffFirstAttemptAt]: at(10), [HS.handoffOutcome]: 'CONVERTED', [HS.handoffOutcomeAt]: at(120) }) });
  ids.h5Lead = lead({ Email: email('h5'), Status: 'Working - Contacted', OwnerId: rep0.userId, HubSpot_Contact_Id__c: ids.h5 });
  const converted = sf.convertLead({ leadId: ids.h5Lead, convertedStatus: 'Closed - Converted' });
  if (converted.opportunityId) sf.update('Opportunity', converted.opportunityId, { StageName: 'Closed Won' });
  for (const [c, l] of [['h1', 'h1Lead'], ['h2', 'h2Lead'], ['h3', 'h3Lead'], ['h4', 'h4Lead'], ['h5', 'h5Lead']] as const) link(ids[c] ?? '', ids[l] ?? '');
  // Contact attempts, dated as the stamps say: six on h1 (first at 20 min), two on h2 (first at 45), one on h5 (at 10).
  const task = (whoId: string | undefined, type: string, minutes: number, n: number) => {
    const record = sf.create('Task', { WhoId: whoId, Type: type, Subject: `attempt ${n}` });
    record.fields.CreatedDate = at(minutes).replace('Z', '+0000');
  };
  for (let i = 0; i < 6; i++) task(ids.h1Lead, i % 2 ? 'Email' : 'Call', 20 + i * 60, i + 1);
  for (let i = 0; i < 2; i++) task(ids.h2Lead, 'Call', 45 + i * 60, i + 1);
  task(ids.h5Lead, 'Call', 10, 1);

  // Planted drift, one of every class.
  ids.status = contact('status', { lifecyclestage: 'marketingqualifiedlead', hs_lead_status: 'IN_PROGRESS', hubspot_owner_id: rep0.ownerId, [HS.mqlDate]: old(-60), [HS.handoffAcceptedAt]: old(5) });
  ids.statusLead = lead({ Email: email('status'), OwnerId: rep0.userId, HubSpot_Contact_Id__c: ids.status });
  link(ids.status, ids.statusLead);
  ids.owner = contact('owner', { lifecyclestage: 'lead', hs_lead_status: 'NEW', hubspot_owner_id: rep1.ownerId });
  ids.ownerLead = lead({ Email: email('owner'), OwnerId: rep2.userId, HubSpot_Contact_Id__c: ids.owner });
  link(ids.owner, ids.ownerLead);
  ids.syncError = contact('sync-error', { lifecyclestage: 'marketingqualifiedlead', [HS.mqlDate]: at(-60) });
  ids.outsideInclusion = hs.createContact({ ...base, lifecyclestage: 'marketingqualifiedlead', [HS.mqlDate]: at(-60) }, 'IMPORT').id;
  ids.duplicateA = contact('twin', { lifecyclestage: 'marketingqualifiedlead', [HS.mqlDate]: at(-60) });
  ids.duplicateB = hs.createContact({ ...base, email: email('twin'), lifecyclestage: 'marketingqualifiedlead', [HS.mqlDate]: at(-60) }, 'IMPORT').id;
  ids.orphanLead = lead({ Email: email('orphan') });
  ids.dupLeadA = lead({ Email: email('dup') });
  ids.dupLeadB = lead({ Email: email('dup') });
  ids.dupContact = contact('dup', { lifecyclestage: 'lead', hs_lead_status: 'NEW' });
  ids.flip = contact('flip', { lifecyclestage: 'lead', hs_lead_status: 'NEW', hubspot_owner_id: rep0.ownerId });
  ids.flipLead = lead({ Email: email('flip'), OwnerId: rep1.userId, HubSpot_Contact_Id__c: ids.flip });
  link(ids.flip, ids.flipLead);
  hs.update(ids.flip, { hubspot_owner_id: rep1.ownerId }, 'SALESFORCE');
  hs.update(ids.flip, { hubspot_owner_id: rep0.ownerId }, 'CRM_UI');
  hs.update(ids.flip, { hubspot_owner_id: rep1.ownerId }, 'SALESFORCE');
  // Before the 30-day flip-flop window: a contact untouched since (its history is never read), and
  // one whose owner swung back inside the window (found all the same).
  clockOffsetMs = -60 * 86_400_000;
  ids.quiet = contact('quiet', { lifecyclestage: 'lead', hs_lead_status: 'NEW', hubspot_owner_id: rep0.ownerId });
  ids.quietLead = lead({ Email: email('quiet'), OwnerId: rep0.userId, HubSpot_Contact_Id__c: ids.quiet });
  link(ids.quiet, ids.quietLead);
  ids.oldFlip = contact('old-flip', { lifecyclestage: 'lead', hs_lead_status: 'NEW', hubspot_owner_id: rep0.ownerId });
  ids.oldFlipLead = lead({ Email: email('old-flip'), OwnerId: rep0.userId, HubSpot_Contact_Id__c: ids.oldFlip });
  link(ids.oldFlip, ids.oldFlipLead);
  clockOffsetMs = -5 * 86_400_000;
  hs.update(ids.oldFlip, { hubspot_owner_id: rep1.ownerId }, 'CRM_UI');
  clockOffsetMs = -4 * 86_400_000;
  hs.update(ids.oldFlip, { hubspot_owner_id: rep0.ownerId }, 'SALESFORCE');
  clockOffsetMs = -3 * 86_400_000;
  hs.update(ids.oldFlip, { hubspot_owner_id: rep1.ownerId }, 'CRM_UI');
  clockOffsetMs = -2 * 86_400_000;
  hs.update(ids.oldFlip, { hubspot_owner_id: rep0.ownerId }, 'SALESFORCE');
  clockOffsetMs = 0;
  ids.stuck = contact('stuck', { lifecyclestage: 'marketingqualifiedlead', hs_lead_status: 'OPEN', hubspot_owner_id: rep0.ownerId, [HS.mqlDate]: old(-60), [HS.handoffAssignedAt]: old(0) });
  ids.stuckLead = lead({ Email: email('stuck'), OwnerId: rep0.userId, HubSpot_Contact_Id__c: ids.stuck });
  link(ids.stuck, ids.stuckLead);
  ids.disqualified = contact('disqualified', { lifecyclestage: 'marketingqualifiedlead', hs_lead_status: 'NEW', hubspot_owner_id: rep0.ownerId, [HS.mqlDate]: old(-60), [HS.handoffOutcome]: 'DISQUALIFIED', [HS.handoffOutcomeAt]: old(20) });
  ids.disqualifiedLead = lead({ Email: email('disqualified'), Status: 'Closed - Not Converted', OwnerId: rep0.userId, HubSpot_Contact_Id__c: ids.disqualified, Rejection_Reason__c: 'STUDENT_OR_COMPETITOR' });
  link(ids.disqualified, ids.disqualifiedLead);

  // A handoff stuck past its deadline: any workflow with the handoff's id and search attributes.
  const stuckWorkflowId = handoffWorkflowId({ portalId, contactId: ids.stuck });
  await client.workflow.start(canary, {
    workflowId: stuckWorkflowId,
    taskQueue: `stuck-${randomUUID()}`,
    args: [{ wait: '1 hour' }],
    typedSearchAttributes: [
      { key: LEAD_STAGE, value: 'AwaitingAcceptance' },
      { key: SLA_DEADLINE, value: new Date(old(30)) },
    ],
  });
  // The reconciliation finds stuck handoffs through visibility, which the dev server updates after
  // the start returns (seconds later on a busy machine): seed until the query the reconciliation
  // runs returns it, so a run right after seeding sees every planted drift.
  await untilVisible(client, `${stuckHandoffsQuery(new Date().toISOString())} AND WorkflowId = "${stuckWorkflowId}"`);

  const planted = [
    `status_mismatch:${ids.status}`,
    `owner_mismatch:${ids.owner}`,
    `stranded_mql:${ids.syncError}`,
    `stranded_mql:${ids.outsideInclusion}`,
    `stranded_mql:${ids.duplicateA}`,
    `stranded_mql:${ids.duplicateB}`,
    `orphan_salesforce_lead:${ids.orphanLead}`,
    `duplicate_salesforce_leads:${[ids.dupLeadA, ids.dupLeadB].sort().join(',')}`,
    `flip_flop:${ids.flip}:hubspot_owner_id`,
    `flip_flop:${ids.oldFlip}:hubspot_owner_id`,
    `stuck_handoff:${stuckWorkflowId}`,
    `disqualified_still_mql:${ids.disqualified}`,
  ].sort();
  const repairable = [
    `status_mismatch:${ids.status}`,
    `owner_mismatch:${ids.owner}`,
    `stranded_mql:${ids.syncError}`,
    `stranded_mql:${ids.outsideInclusion}`,
    `disqualified_still_mql:${ids.disqualified}`,
  ].sort();

  const workflowIds = [stuckWorkflowId, handoffWorkflowId({ portalId, contactId: ids.syncError }), handoffWorkflowId({ portalId, contactId: ids.outsideInclusion })];
  return {
    sandboxes,
    contract,
    portalId,
    ids,
    planted,
    repairable,
    workflowIds,
    deps: reconcileDepsFor(sandboxes, contract, { hubspotSearchPerSecond: 40 }),
    async stop() {
      await Promise.all(
        workflowIds.map(async (id) => {
          try {
            await client.workflow.getHandle(id).terminate('test over');
          } catch {
            // Not started, or already closed.
          }
        }),
      );
      await sandboxes.stop();
    },
  };
}
