/**
 * Planting recorded handoff histories through the sandboxes' REST APIs only (HubSpot CRM v3 with the
 * portal token, Salesforce REST with a client-credentials session, and the loopback admin route that
 * back-dates Task CreatedDate), never through the bridge's adapters: the SLA ground truth and the
 * what-if scenario both plant with it.
 */
import type { Sandboxes } from '../sandbox';
import type { PlantedEpisode, PlantedLead } from './sla-ground-truth';

const iso = (ms: number) => new Date(ms).toISOString();

/** A planted episode as the ledger records it; the known answers (`expect`) stay with the test that computes them. */
export type RecordedPlant = Omit<PlantedEpisode, 'expect'> & { ownerId?: string; lastAssignedAt?: number };
/** `history`: contact property values written in order, each back-dated to `at` (what the contact said when). */
export type PlantedRecord = Omit<PlantedLead, 'episodes'> & { episodes: RecordedPlant[]; history?: Array<{ property: string; value: string; at: number }> };

/** REST planting: HubSpot CRM v3 with the portal token, Salesforce REST with a client-credentials session. */
export async function planter(sandboxes: Sandboxes) {
  const hs = sandboxes.hubspot;
  const sf = sandboxes.salesforce;
  const tokenResponse = await fetch(`${sf.loginUrl}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: sf.clientId, client_secret: sf.clientSecret }).toString(),
  });
  const { access_token: sfToken } = (await tokenResponse.json()) as { access_token: string };
  const call = async (url: string, method: string, token: string | undefined, body: unknown): Promise<Record<string, unknown>> => {
    const res = await fetch(url, { method, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${url.replace(/^https?:\/\/[^/]+/, '')} answered ${res.status}: ${text}`);
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  };
  const data = `${sf.instanceUrl}/services/data/v60.0`;
  return {
    contact: async (properties: Record<string, string>) => String((await call(`${hs.baseUrl}/crm/v3/objects/contacts`, 'POST', hs.accessToken, { properties })).id),
    sobject: async (type: string, fields: Record<string, unknown>) => String((await call(`${data}/sobjects/${type}`, 'POST', sfToken, fields)).id),
    update: (type: string, id: string, fields: Record<string, unknown>) => call(`${data}/sobjects/${type}/${id}`, 'PATCH', sfToken, fields),
    convert: async (leadId: string) => {
      const out = (await call(`${data}/actions/standard/convertLead`, 'POST', sfToken, { inputs: [{ leadId, convertedStatus: 'Closed - Converted', createOpportunity: true }] })) as unknown as Array<{ outputValues: { opportunityId: string } }>;
      return out[0]?.outputValues.opportunityId ?? '';
    },
    createdDate: (id: string, at: number) => call(`${sf.instanceUrl}/__sandbox/timestamps`, 'POST', undefined, { id, createdDate: iso(at) }),
    /** Writes one contact property, then back-dates that newest history version to `at`. */
    contactHistory: async (contactId: string, property: string, value: string, at: number) => {
      await call(`${hs.baseUrl}/crm/v3/objects/contacts/${contactId}`, 'PATCH', hs.accessToken, { properties: { [property]: value } });
      await call(`${hs.baseUrl}/__sandbox/timestamps`, 'POST', undefined, { contactId, property, timestamp: iso(at) });
    },
  };
}

function ledgerEntry(ep: RecordedPlant): Record<string, unknown> {
  return {
    episode: iso(ep.mqlAt),
    assignedAt: iso(ep.assignedAt),
    alertedAt: iso(ep.alertedAt),
    ...(ep.lastAssignedAt ? { lastAssignedAt: iso(ep.lastAssignedAt) } : {}),
    ...(ep.lastAlertedAt ? { lastAlertedAt: iso(ep.lastAlertedAt) } : {}),
    ...(ep.ownerId ? { ownerId: ep.ownerId } : {}),
    ...(ep.missedBy ? { missedBy: ep.missedBy } : {}),
    ...(ep.acceptedAt ? { acceptedAt: iso(ep.acceptedAt) } : {}),
    ...(ep.rejection ? { rejectionReason: ep.rejection.reason, outcome: 'REVERTED_REJECTED', outcomeAt: iso(ep.rejection.at) } : {}),
    ...(ep.slaMissedAt ? { outcome: 'REVERTED_SLA_MISSED', outcomeAt: iso(ep.slaMissedAt) } : {}),
    missingAtHandover: ep.missingAtHandover,
  };
}

/** Plants every lead; returns the HubSpot contact id of each, by key. */
export async function plant(sandboxes: Sandboxes, leads: PlantedRecord[]): Promise<Map<string, string>> {
  const p = await planter(sandboxes);
  const tag = Math.random().toString(36).slice(2, 8);
  const contactIds = new Map<string, string>();
  await Promise.all(
    leads.map(async (lead) => {
      const latest = lead.episodes[lead.episodes.length - 1];
      if (!latest) return;
      const accepted = latest.acceptedAt !== undefined;
      const leadId = await p.sobject('Lead', {
        LastName: 'Planted',
        Company: 'Ground Truth Ltd',
        Email: `${lead.key}.${tag}@example.test`,
        Status: accepted ? 'Working - Contacted' : latest.rejection || latest.slaMissedAt ? 'Closed - Not Converted' : 'Open - Not Contacted',
        SLA_Assigned_At__c: iso(latest.assignedAt),
        ...(accepted ? { SLA_Accepted_At__c: iso(latest.acceptedAt ?? 0) } : {}),
        ...(latest.rejection ? { Rejection_Reason__c: latest.rejection.reason } : {}),
      });
      for (const task of lead.tasks) {
        const id = await p.sobject('Task', { WhoId: leadId, Type: task.type, Subject: `${task.type} attempt`, Status: 'Completed' });
        await p.createdDate(id, task.at);
      }
      if (lead.opportunity) {
        const opportunityId = await p.convert(leadId);
        await p.update('Opportunity', opportunityId, { StageName: lead.opportunity });
      }
      const contactId = await p.contact({
        email: `${lead.key}.${tag}@example.test`,
        firstname: 'Planted',
        lastname: lead.key,
        company: 'Ground Truth Ltd',
        hs_analytics_source: lead.source,
        salesforceleadid: leadId,
        hs_lifecyclestage_marketingqualifiedlead_date: iso(latest.mqlAt),
        ...(lead.sqlAt ? { hs_lifecyclestage_salesqualifiedlead_date: iso(lead.sqlAt) } : {}),
        handoff_episode: iso(latest.mqlAt),
        handoff_assigned_at: iso(latest.assignedAt),
        handoff_alerted_at: iso(latest.alertedAt),
        ...(latest.acceptedAt ? { handoff_accepted_at: iso(latest.acceptedAt) } : {}),
        handoff_episodes: JSON.stringify(lead.episodes.map(ledgerEntry)),
      });
      contactIds.set(lead.key, contactId);
      for (const h of lead.history ?? []) await p.contactHistory(contactId, h.property, h.value, h.at);
    }),
  );
  return contactIds;
}
