/**
 * Sales' side of the simulation: reps read their alerts in the local chat and, a few seconds later,
 * do what the plan says for that lead. Accepting happens either in Salesforce (the rep moves the lead
 * to "Working - Contacted"; the bridge's watcher notices) or through the signed link (confirmation
 * page, then the form post, as a browser would). Rejecting picks a reason from the contract's closed
 * taxonomy. An accepted lead then gets the rep's contact attempts as Salesforce Tasks. The links are
 * read with the demo's own signing secret, to learn which lead an alert is about.
 */
import { verifyActionToken } from '../../activities/notify';
import { HUBSPOT_PROPERTIES as HS, SALESFORCE_LEAD_FIELDS as SF, SALESFORCE_TASK_FIELDS as TASK } from '../../mappings/crm';
import { type Contract, statusFor } from '../../mappings/contract';
import type { HubSpotStore } from '../../sandbox/hubspot/contact-store';
import { seededRandom } from '../../sandbox/random';
import type { SalesforceStore } from '../../sandbox/salesforce/store';
import { parseHandoffWorkflowId } from '../../api/ids';
import type { ChatListener, ChatMessage } from './chat-listener';
import type { PlannedLead } from './lead-plan';

export interface RepActivity {
  acceptedInSalesforce: number;
  acceptedByLink: number;
  rejected: number;
  ignored: number;
  attemptsLogged: number;
  /** Actions the bridge or a CRM refused (a lead already decided, say); reasons only, never data. */
  failed: Array<{ at: string; reason: string }>;
}

export interface SimulatedReps {
  activity(): RepActivity;
  /** Resolves when no rep is in the middle of an action. */
  idle(): Promise<void>;
  stop(): void;
}

const TASK_TYPES = ['Call', 'Email', 'LinkedIn'] as const;

export interface SimulatedRepsOptions {
  contract: Contract;
  chat: ChatListener;
  plan: PlannedLead[];
  /** HubSpot contact id by plan index. */
  contactIds: string[];
  hubspot: HubSpotStore;
  salesforce: SalesforceStore;
  linkSecret: string;
  seed: number;
  /** How long a rep takes to react to an alert: between these, in ms. */
  reactionMs?: [number, number];
}

export function startSimulatedReps(options: SimulatedRepsOptions): SimulatedReps {
  const { contract, salesforce } = options;
  const random = seededRandom(options.seed + 2);
  const [fastest, slowest] = options.reactionMs ?? [1_500, 5_000];
  const planByContact = new Map(options.contactIds.map((id, i) => [id, options.plan[i]]));
  const alertsSeen = new Map<string, number>();
  const activity: RepActivity = { acceptedInSalesforce: 0, acceptedByLink: 0, rejected: 0, ignored: 0, attemptsLogged: 0, failed: [] };
  const pending = new Set<Promise<void>>();
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;

  const fail = (reason: string): void => {
    activity.failed.push({ at: new Date().toISOString(), reason });
  };

  /** The lead as the rep sees it in Salesforce: assigned to them, with the contact's email. */
  const leadOf = (contactId: string, repId: string) => {
    const email = options.hubspot.value(contactId, HS.email)?.toLowerCase();
    return salesforce
      .list('Lead')
      .find((lead) => lead.fields[SF.ownerId] === repId && String(lead.fields[SF.email] ?? '').toLowerCase() === email && !lead.fields[SF.isConverted]);
  };

  const postForm = async (url: string, form: Record<string, string>) => {
    // A browser first opens the link (the confirmation page), then submits the form on it.
    const page = await fetch(url);
    await page.arrayBuffer();
    if (!page.ok) throw new Error(`link page answered HTTP ${page.status}`);
    const done = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
    await done.arrayBuffer();
    if (!done.ok) throw new Error(`link form answered HTTP ${done.status}`);
  };

  const logAttempts = (leadId: string, repId: string, attempts: number) => {
    for (let i = 0; i < attempts; i++) {
      const type = TASK_TYPES[i % TASK_TYPES.length] ?? 'Call';
      salesforce.create('Task', { [TASK.whoId]: leadId, [TASK.type]: type, [TASK.subject]: `${type} attempt ${i + 1}`, [TASK.status]: 'Completed' }, repId);
      activity.attemptsLogged += 1;
    }
    salesforce.update('Lead', leadId, { [SF.disposition]: attempts >= contract.contactAttempts.attempts ? 'Connected' : 'Attempted' }, repId);
  };

  const act = async (message: ChatMessage, lead: PlannedLead, contactId: string, repIndex: number) => {
    const rep = contract.routing.reps[repIndex];
    if (!rep) return fail(`alert for unknown rep index ${repIndex}`);
    const nth = (alertsSeen.get(contactId) ?? 0) + 1;
    alertsSeen.set(contactId, nth);
    const ignores = lead.outcome === 'ignored_reverted' || (lead.outcome === 'reassigned_then_accepted' && nth === 1);
    if (ignores || lead.outcome === 'returned_incomplete') {
      activity.ignored += 1;
      return;
    }
    const acceptsInSalesforce = lead.outcome === 'accepted_in_salesforce' || lead.outcome === 'reassigned_then_accepted';
    const sfLead = leadOf(contactId, rep.id);
    if ((acceptsInSalesforce || lead.outcome === 'rejected_disqualified') && !sfLead) return fail('the assigned lead is not in Salesforce');
    if (acceptsInSalesforce && sfLead) {
      salesforce.update('Lead', sfLead.id, { [SF.status]: statusFor(contract, 'SAL').salesforceStatus }, rep.id);
      activity.acceptedInSalesforce += 1;
      logAttempts(sfLead.id, rep.id, lead.attempts);
    } else if (lead.outcome === 'rejected_disqualified' && sfLead) {
      salesforce.update(
        'Lead',
        sfLead.id,
        { [SF.status]: contract.handoff.revert.salesforceStatus, [SF.rejectionReason]: lead.rejectionReason ?? '', [SF.disposition]: 'Disqualified' },
        rep.id,
      );
      activity.rejected += 1;
    } else if (lead.outcome === 'accepted_by_link' && message.acceptUrl) {
      await postForm(message.acceptUrl, {});
      activity.acceptedByLink += 1;
      const accepted = leadOf(contactId, rep.id);
      if (accepted) logAttempts(accepted.id, rep.id, lead.attempts);
    } else if (lead.outcome === 'rejected_to_nurture' && message.rejectUrl) {
      await postForm(message.rejectUrl, { reason: lead.rejectionReason ?? '' });
      activity.rejected += 1;
    } else {
      fail(`no way to act on a ${lead.outcome} alert`);
    }
  };

  options.chat.subscribe((message) => {
    if (stopped || message.kind !== 'alert' || message.repIndex === undefined || !message.acceptUrl) return;
    const token = message.acceptUrl.slice(message.acceptUrl.lastIndexOf('/') + 1);
    const verdict = verifyActionToken(token, options.linkSecret, new Date());
    const key = verdict.ok ? parseHandoffWorkflowId(verdict.payload.workflowId) : undefined;
    const lead = key ? planByContact.get(key.contactId) : undefined;
    if (!key || !lead) return fail('an alert for a lead the simulation did not create');
    const repIndex = message.repIndex;
    const timer = setTimeout(() => {
      timers.delete(timer);
      const action = act(message, lead, key.contactId, repIndex).catch((err: unknown) => fail(err instanceof Error ? err.message : String(err)));
      pending.add(action);
      void action.finally(() => pending.delete(action));
    }, random.int(fastest, slowest));
    timers.add(timer);
  });

  return {
    activity: () => ({ ...activity, failed: [...activity.failed] }),
    async idle() {
      await Promise.all([...pending]);
    },
    stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
