/** The pure drift rules and repair policy (mappings/metrics/drift.ts), case by case. */
import { describe, expect, it } from 'vitest';
import { HUBSPOT_PROPERTIES as HS } from '../mappings/crm';
import { classifyDrift, parseRepairPolicy, recordedStage, type ContactSnapshot, type DriftInputs, type LeadSnapshot } from '../mappings/metrics';
import { loadContract } from '../mappings/load';

const contract = loadContract();
const now = new Date('2026-06-10T12:00:00Z');
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000).toISOString();
const fit = { email: 'a@x.test', jobtitle: 'CTO', country: 'Germany', numemployees: '480', hubspotscore: '80' };

function inputs(partial: Partial<DriftInputs>): DriftInputs {
  return { contract, now, contacts: [], leads: [], owners: [], users: [], histories: [], openHandoffs: [], stuckHandoffs: [], flipFlopWindowDays: 30, ...partial };
}
const contact = (id: string, properties: Record<string, string>): ContactSnapshot => ({ id, properties });
const lead = (id: string, fields: LeadSnapshot['fields']): LeadSnapshot => ({ id, fields: { IsConverted: false, ...fields } });

describe('drift classification', () => {
  it('finds no drift when both systems show one stage of the status mapping', () => {
    const items = classifyDrift(
      inputs({
        contacts: [contact('1', { ...fit, lifecyclestage: 'marketingqualifiedlead', hs_lead_status: 'IN_PROGRESS', salesforceleadid: 'L1', [HS.handoffAcceptedAt]: hoursAgo(1) })],
        leads: [lead('L1', { Status: 'Working - Contacted', Email: 'a@x.test' })],
      }),
    );
    expect(items).toEqual([]);
  });

  it('repairs a status mismatch toward the stage the handoff recorded, and only reports it without a record', () => {
    const mismatch = (props: Record<string, string>) =>
      classifyDrift(inputs({ contacts: [contact('1', { ...fit, lifecyclestage: 'marketingqualifiedlead', hs_lead_status: 'IN_PROGRESS', salesforceleadid: 'L1', ...props })], leads: [lead('L1', { Status: 'Open - Not Contacted' })] }))[0];
    expect(mismatch({ [HS.handoffAcceptedAt]: hoursAgo(1) })?.repair).toEqual([{ kind: 'salesforce_fields', leadId: 'L1', fields: { Status: 'Working - Contacted' } }]);
    const unknown = mismatch({});
    expect(unknown?.class).toBe('status_mismatch');
    expect(unknown?.repair).toBeUndefined();
    expect(unknown?.repairNote).toContain('no handoff record');
  });

  it('ignores stamps from an earlier MQL episode when deciding which system is right', () => {
    expect(recordedStage({ [HS.mqlDate]: hoursAgo(1), [HS.handoffAcceptedAt]: hoursAgo(48) })).toBeUndefined();
    expect(recordedStage({ [HS.mqlDate]: hoursAgo(48), [HS.handoffAcceptedAt]: hoursAgo(1) })).toBe('SAL');
  });

  it('compares owners by email and makes HubSpot follow the Salesforce owner', () => {
    const items = classifyDrift(
      inputs({
        contacts: [contact('1', { lifecyclestage: 'lead', hs_lead_status: 'NEW', hubspot_owner_id: 'o1', salesforceleadid: 'L1' })],
        leads: [lead('L1', { Status: 'Open - Not Contacted', OwnerId: 'u2' })],
        owners: [{ id: 'o1', email: 'one@x.test' }, { id: 'o2', email: 'TWO@x.test' }],
        users: [{ id: 'u1', email: 'one@x.test' }, { id: 'u2', email: 'two@x.test' }],
      }),
    );
    expect(items.map((i) => [i.class, i.repair])).toEqual([['owner_mismatch', [{ kind: 'hubspot_properties', contactId: '1', properties: { hubspot_owner_id: 'o2' } }]]]);
  });

  it('gives a fresh MQL the grace a handoff needs before calling it stranded, and skips MQLs with an open handoff', () => {
    const mql = (mqlHoursAgo: number) => contact('1', { ...fit, lifecyclestage: 'marketingqualifiedlead', [HS.mqlDate]: hoursAgo(mqlHoursAgo) });
    expect(classifyDrift(inputs({ contacts: [mql(0.5)] }))).toEqual([]);
    expect(classifyDrift(inputs({ contacts: [mql(3)] }))[0]?.reason).toBe('sync_error');
    expect(classifyDrift(inputs({ contacts: [mql(3)], openHandoffs: [{ workflowId: 'handoff:1:1', contactId: '1' }] }))).toEqual([]);
  });

  it('reports an MQL that does not meet the MQL definition without starting a handoff that would end not qualified', () => {
    const [item] = classifyDrift(inputs({ contacts: [contact('1', { ...fit, numemployees: '12', lifecyclestage: 'marketingqualifiedlead', [HS.mqlDate]: hoursAgo(3) })] }));
    expect(item?.reason).toBe('definition_not_met');
    expect(item?.repair).toBeUndefined();
  });

  it('flags a disqualified lead whose lifecycle stayed at MQL, and not also as a status mismatch', () => {
    const items = classifyDrift(
      inputs({
        contacts: [contact('1', { ...fit, lifecyclestage: 'marketingqualifiedlead', hs_lead_status: 'NEW', salesforceleadid: 'L1' })],
        leads: [lead('L1', { Status: 'Closed - Not Converted', Rejection_Reason__c: 'WRONG_INDUSTRY' })],
      }),
    );
    expect(items.map((i) => i.class)).toEqual(['disqualified_still_mql']);
    expect(items[0]?.repair?.[0]).toEqual({ kind: 'hubspot_lifecycle', contactId: '1', stage: 'other', leadStatus: 'UNQUALIFIED' });
  });

  it('counts a flip-flop only when a two-way value swings back with the connector on one side', () => {
    const history = (sources: string[], property = 'hubspot_owner_id') => ({
      contactId: '1',
      properties: { [property]: sources.map((sourceType, i) => ({ value: i % 2 ? 'B' : 'A', timestamp: hoursAgo(10 - i), sourceType })) },
    });
    expect(classifyDrift(inputs({ histories: [history(['CRM_UI', 'SALESFORCE', 'CRM_UI'])] })).map((i) => i.key)).toEqual(['flip_flop:1:hubspot_owner_id']);
    // Another app's writes (INTEGRATION) are not the connector's.
    expect(classifyDrift(inputs({ histories: [history(['CRM_UI', 'INTEGRATION', 'CRM_UI'])] }))).toEqual([]);
    expect(classifyDrift(inputs({ histories: [history(['CRM_UI', 'CRM_UI', 'CRM_UI'])] }))).toEqual([]);
    expect(classifyDrift(inputs({ histories: [history(['CRM_UI', 'SALESFORCE'])] }))).toEqual([]);
    // company is prefer_salesforce_unless_blank in the default contract: no tug of war possible.
    expect(classifyDrift(inputs({ histories: [history(['CRM_UI', 'SALESFORCE', 'CRM_UI'], 'company')] }))).toEqual([]);
  });

  it('orders versions written within one millisecond as HubSpot lists them (newest first)', () => {
    // Owner A (import) → B (connector) → A (a rep) → B (connector); the middle two share a millisecond.
    const t = (ms: number) => new Date(now.getTime() - 3_600_000 + ms).toISOString();
    const listed = (versions: [string, number, string][]) => ({
      contactId: '1',
      properties: { hubspot_owner_id: versions.map(([value, ms, sourceType]) => ({ value, timestamp: t(ms), sourceType })) },
    });
    const swing = listed([['B', 2, 'SALESFORCE'], ['A', 1, 'CRM_UI'], ['B', 1, 'SALESFORCE'], ['A', 0, 'IMPORT']]);
    expect(classifyDrift(inputs({ histories: [swing] })).map((i) => i.key)).toEqual(['flip_flop:1:hubspot_owner_id']);
    const oneMillisecond = listed([['B', 0, 'SALESFORCE'], ['A', 0, 'CRM_UI'], ['B', 0, 'SALESFORCE'], ['A', 0, 'IMPORT']]);
    expect(classifyDrift(inputs({ histories: [oneMillisecond] })).map((i) => i.key)).toEqual(['flip_flop:1:hubspot_owner_id']);
    // A → A → B → B never swings back; broken the other way round, the tie at 1 ms would make it seem to.
    const noSwing = listed([['B', 2, 'SALESFORCE'], ['B', 1, 'SALESFORCE'], ['A', 1, 'CRM_UI'], ['A', 0, 'IMPORT']]);
    expect(classifyDrift(inputs({ histories: [noSwing] }))).toEqual([]);
  });

  it('groups open Salesforce leads sharing an email as duplicates and flags leads no contact links to', () => {
    const items = classifyDrift(inputs({ leads: [lead('L1', { Email: 'd@x.test' }), lead('L2', { Email: 'D@x.test' }), lead('L3', { Email: 'lonely@x.test' }), lead('L4', { Email: 'conv@x.test', IsConverted: true })] }));
    expect(items.map((i) => i.key)).toEqual(['duplicate_salesforce_leads:L1,L2', 'orphan_salesforce_lead:L1', 'orphan_salesforce_lead:L2', 'orphan_salesforce_lead:L3']);
  });
});

describe('repair policy', () => {
  it('repairs every repairable class by default and reports the rest', () => {
    const policy = parseRepairPolicy(undefined);
    expect(policy.status_mismatch).toBe('repair');
    expect(policy.stranded_mql).toBe('repair');
    expect(policy.flip_flop).toBe('report');
  });

  it('reports everything with none, and repairs only the classes listed', () => {
    expect(Object.values(parseRepairPolicy('none')).every((m) => m === 'report')).toBe(true);
    const only = parseRepairPolicy('owner_mismatch');
    expect(only.owner_mismatch).toBe('repair');
    expect(only.status_mismatch).toBe('report');
  });

  it('refuses unknown classes and classes that cannot be repaired', () => {
    expect(() => parseRepairPolicy('status_mismach')).toThrow(/unknown drift class/);
    expect(() => parseRepairPolicy('duplicate_salesforce_leads')).toThrow(/cannot be repaired/);
  });
});
