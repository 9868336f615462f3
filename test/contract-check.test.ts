import { describe, expect, it } from 'vitest';
import { checkContract } from '../mappings/check';
import { ContractError, parseContract, parseContractWithSource } from '../mappings/load';
import { checkVariant, messagesAt, REMOVE, variant, variantText } from './contract-fixtures';

function parseError(text: string): string {
  try {
    parseContract(text, 'broken.yaml');
  } catch (err) {
    if (err instanceof ContractError) return err.message;
    throw err;
  }
  throw new Error('expected the contract to be rejected');
}

function lineOfText(text: string, needle: string): number {
  return text.split('\n').findIndex((line) => line.includes(needle)) + 1;
}

describe('sla check: schema errors name file, line, path and value', () => {
  it('rejects a commitment without an owner at the commitment’s line', () => {
    const text = variantText({ 'commitments.0.owner': REMOVE });
    const message = parseError(text);
    expect(message).toContain(`broken.yaml:${lineOfText(text, 'id: mql_volume')} commitments.0.owner:`);
    expect(message).toContain('(got nothing)');
  });

  it('rejects a commitment whose target is not a number, showing the value', () => {
    expect(parseError(variantText({ 'commitments.3.target.value': 'quickly' }))).toMatch(/commitments\.3\.target\.value: a commitment needs a number \(got "quickly"\)/);
  });

  it('rejects a misspelt key instead of ignoring it', () => {
    expect(parseError(variantText({ 'handoff.acceptanceWindowMinutes': 30 }))).toMatch(/handoff\.acceptanceWindowMinutes: unknown key/);
  });

  it('reports YAML syntax errors with their line', () => {
    expect(parseError('version: 1\nname: [unclosed\n')).toMatch(/^invalid SLA contract broken\.yaml[\s\S]*broken\.yaml:\d+ \(yaml\)/);
  });

  it('lists every problem, not just the first', () => {
    const message = parseError(variantText({ 'commitments.0.owner': REMOVE, 'routing.reps.0.timeZone': 'Mars/Olympus' }));
    expect(message).toContain('commitments.0.owner');
    expect(message).toMatch(/routing\.reps\.0\.timeZone: expected an IANA time zone .*\(got "Mars\/Olympus"\)/);
  });
});

describe('sla check: findings on contracts that parse but cannot be signed', () => {
  it('passes the default preset with no errors', () => {
    expect(checkVariant({})).toEqual([]);
  });

  it('flags a commitment owned by someone not named in owners', () => {
    expect(messagesAt(checkVariant({ 'commitments.1.owner': 'the_team' }), 'commitments.1.owner')).toContain('unknown owner "the_team"');
  });

  it('flags a definition over a property no system records as not observable', () => {
    const errors = checkVariant({ 'definitions.mql.fit.0': { property: 'sales_gut_feel', op: 'eq', value: 'yes' } });
    expect(messagesAt(errors, 'definitions.mql.fit.0.property')).toContain('not observable');
  });

  it('flags a subjective definition even over a declared property', () => {
    const errors = checkVariant({
      'crm.properties.5': { name: 'lead_feels_ready', system: 'hubspot', type: 'bool', meaning: 'Marketing thinks it is ready' },
      'definitions.mql.engagement.0': { property: 'lead_feels_ready', op: 'eq', value: true },
    });
    expect(messagesAt(errors, 'definitions.mql.engagement.0.property')).toContain('subjective judgement');
  });

  it('flags a subjective value such as a "Hot" rating', () => {
    const errors = checkVariant({ 'definitions.sql.signals.0': { property: 'Rating', op: 'eq', value: 'Hot' } });
    expect(messagesAt(errors, 'definitions.sql.signals.0.value')).toContain('subjective');
  });

  it.each(['Demo Booked', 'Proposal Sent', 'Closed Won'])('flags a lifecycle stage named like the deal stage "%s"', (label) => {
    const errors = checkVariant({ 'crm.lifecycleStages': [{ id: '2001', label }] });
    expect(messagesAt(errors, 'crm.lifecycleStages.0.label')).toContain('mirrors a deal stage');
  });

  it('accepts a custom lifecycle stage that tracks buyer progress', () => {
    expect(checkVariant({ 'crm.lifecycleStages': [{ id: '2001', label: 'Sales Accepted Lead' }] })).toEqual([]);
  });

  it('flags a reference to a rejection reason outside the closed taxonomy', () => {
    expect(messagesAt(checkVariant({ 'feedback.rejectionFeeds.0.codes.0': 'TOO_SMALL' }), 'feedback.rejectionFeeds.0.codes.0')).toContain('unknown rejection reason "TOO_SMALL"');
  });

  it('flags an empty rejection taxonomy', () => {
    expect(messagesAt(checkVariant({ rejectionTaxonomy: [], 'feedback.rejectionFeeds': [{ codes: ['X'], informs: 'mql.fit' }] }), 'rejectionTaxonomy')).toContain('empty');
  });

  it('flags a required field that no mapping carries to Salesforce as unmapped', () => {
    expect(messagesAt(checkVariant({ 'dataCompleteness.requiredProperties.7': 'hs_persona' }), 'dataCompleteness.requiredProperties.7')).toContain('unmapped property: "hs_persona"');
  });

  it('flags an SQL signal over a HubSpot-only property as unmapped, and points a mapped one to its Salesforce name', () => {
    const errors = checkVariant({
      'definitions.sql.signals.0': { property: 'hs_persona', op: 'present' },
      'definitions.sql.signals.1': { property: 'jobtitle', op: 'present' },
    });
    expect(messagesAt(errors, 'definitions.sql.signals.0.property')).toContain('unmapped property');
    expect(messagesAt(errors, 'definitions.sql.signals.1.property')).toContain('use the mapped "Title"');
  });

  it('flags a missing playbook commitment', () => {
    const errors = checkVariant({ 'commitments.5': REMOVE });
    expect(messagesAt(errors, 'commitments')).toContain('"disposition_logged"');
  });

  it('flags a unit that does not fit the measure', () => {
    expect(messagesAt(checkVariant({ 'commitments.1.target.unit': 'business_minutes' }), 'commitments.1.target.unit')).not.toBe('');
  });

  it('warns when territories leave fewer reps per lead than the reassignments need (a miss is then reassigned less often)', () => {
    const findings = checkContract(variant({ 'routing.policy': 'territory', 'routing.territoryProperty': 'country', 'routing.reps.0.territories': ['Germany'], 'routing.reps.1.territories': ['France'], 'routing.reps.2.territories': ['*'] }));
    expect(messagesAt(findings, 'handoff.reassignLimit')).toBe('2 reassignments need 3 reps who can take the same lead, but no country has more than 1: a missed window is reassigned at most 0 time(s)');
    expect(messagesAt(checkContract(variant({})), 'handoff.reassignLimit')).toBe('');
  });

  it('flags a reminder that falls outside the acceptance window', () => {
    expect(messagesAt(checkVariant({ 'handoff.reminderBeforeBreachBusinessMinutes': 30 }), 'handoff.reminderBeforeBreachBusinessMinutes')).not.toBe('');
  });

  it('flags a calendar with no working time', () => {
    expect(messagesAt(checkVariant({ 'calendar.workingHours': {} }), 'calendar.workingHours')).toContain('no working time');
  });

  it('flags overlapping working intervals', () => {
    expect(messagesAt(checkVariant({ 'calendar.workingHours': { mon: [['09:00', '13:00'], ['12:00', '17:00']] } }), 'calendar.workingHours.mon')).not.toBe('');
  });

  it('flags a forward step that would move HubSpot’s lifecycle backwards', () => {
    expect(messagesAt(checkVariant({ 'statusMapping.SQL.hubspotLifecycle': 'lead' }), 'statusMapping.SQL.hubspotLifecycle')).not.toBe('');
  });

  it('flags status values outside each CRM’s picklist', () => {
    const errors = checkVariant({ 'rejectionTaxonomy.0.hubspotLeadStatus': 'BINNED', 'statusMapping.SAL.salesforceStatus': 'Accepted' });
    expect(messagesAt(errors, 'rejectionTaxonomy.0.hubspotLeadStatus')).toContain('unknown hs_lead_status "BINNED"');
    expect(messagesAt(errors, 'statusMapping.SAL.salesforceStatus')).toContain('unknown Salesforce Lead.Status "Accepted"');
  });

  it('flags an alert to the rep on a channel a rep has no address for', () => {
    const errors = checkVariant({ 'handoff.alerts.3': { channel: 'teams', target: 'rep', kinds: ['alert'] } });
    expect(messagesAt(errors, 'routing.reps.0.channels.teams')).not.toBe('');
  });

  it('flags a monthly review that drops part of the fixed agenda', () => {
    expect(messagesAt(checkVariant({ 'governance.monthlyReview.agenda': ['commitment_attainment', 'improvement_action'] }), 'governance.monthlyReview.agenda')).not.toBe('');
  });

  it('locates findings on the line of the offending value', () => {
    const text = variantText({ 'commitments.1.owner': 'the_team' });
    const { contract, sourceMap } = parseContractWithSource(text, 'c.yaml');
    const finding = checkContract(contract, sourceMap).find((f) => f.path === 'commitments.1.owner');
    expect(finding).toMatchObject({ source: 'c.yaml', line: lineOfText(text, 'owner: the_team') });
  });
});
