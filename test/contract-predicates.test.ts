import { describe, expect, it } from 'vitest';
import { commitmentLineage, type Predicate, evaluateDefinition, evaluatePredicate, missingRequired } from '../mappings/contract';
import { defaultContract, variant } from './contract-fixtures';

const NOW = new Date('2026-11-24T12:00:00Z');
const props = {
  numemployees: '250',
  country: 'Germany',
  jobtitle: 'CTO',
  hubspotscore: '40',
  industry: null,
  recent_conversion_date: '2026-11-20T09:00:00Z',
  recent_conversion_event_name: 'Request a demo',
  num_conversion_events: '2',
  hs_analytics_last_visit_timestamp: String(Date.parse('2026-09-01T00:00:00Z')),
};

describe('evaluatePredicate', () => {
  const cases: Array<[Predicate, boolean]> = [
    [{ property: 'country', op: 'eq', value: 'Germany' }, true],
    [{ property: 'numemployees', op: 'eq', value: 250 }, true],
    [{ property: 'country', op: 'neq', value: 'Germany' }, false],
    [{ property: 'country', op: 'in', values: ['France', 'Germany'] }, true],
    [{ property: 'country', op: 'not_in', values: ['France', 'Germany'] }, false],
    [{ property: 'numemployees', op: 'gt', value: 250 }, false],
    [{ property: 'numemployees', op: 'gte', value: 250 }, true],
    [{ property: 'hubspotscore', op: 'lt', value: 60 }, true],
    [{ property: 'hubspotscore', op: 'lte', value: 39 }, false],
    [{ property: 'numemployees', op: 'between', min: 50, max: 250 }, true],
    [{ property: 'jobtitle', op: 'present' }, true],
    [{ property: 'industry', op: 'absent' }, true],
    [{ property: 'recent_conversion_date', op: 'within_days', days: 7 }, true],
    [{ property: 'recent_conversion_date', op: 'within_days', days: 3 }, false],
    [{ op: 'activity', type: 'form_submission', named: 'Request a demo', days: 30 }, true],
    [{ op: 'activity', type: 'form_submission', named: 'Newsletter', days: 30 }, false],
    [{ op: 'activity', type: 'form_submission', days: 30, atLeast: 3 }, false],
    [{ op: 'activity', type: 'page_view', days: 30 }, false],
    [{ op: 'activity', type: 'page_view', days: 90 }, true],
  ];
  it.each(cases)('%j → %s', (p, expected) => {
    expect(evaluatePredicate(p, props, NOW)).toBe(expected);
  });

  it('never lets a blank property meet a criterion, except absent', () => {
    for (const p of [{ property: 'industry', op: 'neq', value: 'Education' }, { property: 'industry', op: 'not_in', values: ['Education'] }] as Predicate[]) {
      expect(evaluatePredicate(p, props, NOW)).toBe(false);
    }
  });

  it('does not treat non-numbers as numbers', () => {
    expect(evaluatePredicate({ property: 'numemployees', op: 'gt', value: 1 }, { numemployees: 'lots' }, NOW)).toBe(false);
  });
});

describe('evaluateDefinition', () => {
  const mql = defaultContract().definitions.mql;

  it('meets the MQL on fit plus any one engagement signal', () => {
    expect(evaluateDefinition(mql, props, NOW)).toEqual({ met: true, unmet: [] });
  });

  it('lists each unmet fit criterion and the engagement alternatives in words', () => {
    const result = evaluateDefinition(mql, { ...props, country: 'Spain', recent_conversion_event_name: 'Newsletter' }, NOW);
    expect(result.met).toBe(false);
    expect(result.unmet).toEqual([
      'fit: market: country is one of "United Kingdom", "Ireland", "Germany", "France", "Netherlands"',
      'engagement: none of score: hubspotscore ≥ 60; demo request: form submission "Request a demo" within the last 30 days; meeting: meeting booked within the last 14 days',
    ]);
  });

  it('requires every SQL signal', () => {
    const sql = defaultContract().definitions.sql;
    const lead = { Need_Confirmed__c: 'true', Authority_Level__c: 'Decision maker', Purchase_Timeline__c: 'Next year' };
    expect(evaluateDefinition(sql, lead, NOW).unmet).toEqual(['signal: timing: Purchase_Timeline__c is one of "This quarter", "Next quarter"']);
  });

  it('lists the required properties that are blank', () => {
    expect(missingRequired(['email', 'company', 'country'], { email: 'a@b.co', company: ' ', country: 'UK' })).toEqual(['company']);
  });
});

describe('commitmentLineage', () => {
  it('traces where each commitment is recorded and which ones cross the connector', () => {
    const byId = Object.fromEntries(commitmentLineage(defaultContract()).map((l) => [l.commitmentId, l]));
    // Acceptance is what the SAL definition's Salesforce fields say: it crosses through the bridge's watcher (30 s polls).
    expect(byId.acceptance_rate).toMatchObject({ crossesIntegration: true, crossesVia: ['watcher'], lagMinutes: 0.5 });
    expect(byId.mql_volume).toMatchObject({ crossesIntegration: false, crossesVia: [], lagMinutes: 0 });
    expect(byId.disposition_logged).toMatchObject({ crossesIntegration: true, syncRule: 'always_salesforce', lagMinutes: 15, stop: { system: 'salesforce', field: 'Disposition__c' } });
    expect(byId.contact_attempts?.signalMissing).toMatch(/^SIGNAL MISSING: Salesforce Tasks/);
    expect(byId.data_completeness?.stop.field).toContain('NumberOfEmployees');
  });

  it('says SIGNAL MISSING when a Salesforce field reaches HubSpot through no mapping', () => {
    const lineage = commitmentLineage(variant({ 'fieldMappings.12': { hubspot: 'lead_disposition', salesforce: 'Disposition__c', rule: 'none' } }));
    const disposition = lineage.find((l) => l.commitmentId === 'disposition_logged');
    expect(disposition?.signalMissing).toBe('SIGNAL MISSING: Salesforce Disposition__c has no field mapping to HubSpot: read it from a Salesforce report');
  });

  it('uses the connector’s cycle as the lag', () => {
    const lineage = commitmentLineage(variant({ 'connector.cycleMinutes': 30 }));
    expect(lineage.find((l) => l.commitmentId === 'disposition_logged')?.lagMinutes).toBe(30);
  });
});
