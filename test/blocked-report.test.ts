/**
 * What RevOps reads about blocked handoffs outside Temporal: the alert (its fix names the rep and the
 * command), the contract check for the `blocked` channel, the notifier's bodies without accept/reject
 * buttons, the CRM code a blocked handoff is filed under, and the report's count by cause.
 */
import { describe, expect, it } from 'vitest';
import { blockedAlertMessage, emailBody, slackBody, teamsBody } from '../activities/notify';
import { checkContract } from '../mappings/check';
import { handoffHealth } from '../mappings/metrics';
import { loadContract, presetPath } from '../mappings/load';
import { handoffHealthHtml, handoffHealthMarkdown } from '../worker/report/handoff-health';
import { crmAnswerCode } from '../workflows/handoff';

const contract = loadContract(presetPath('default'));
const rep = contract.routing.reps[0];

describe('the RevOps alert for a blocked handoff', () => {
  const message = blockedAlertMessage(contract, {
    workflowId: 'handoff:1:42',
    contactId: '42',
    lead: 'Acme GmbH (contact 42)',
    step: 'assignLead',
    code: 'INACTIVE_OWNER_OR_USER',
    errorType: 'CrmInvalidRequest',
    ownerId: rep?.id,
    stage: 'MQL',
  });

  it('names the lead, the step, the CRM answer and the fix with the command that resumes it', () => {
    expect(message.title).toBe('Handoff blocked at assignLead: Acme GmbH (contact 42)');
    expect(message.facts).toContainEqual({ label: 'CRM answer', value: 'INACTIVE_OWNER_OR_USER [CrmInvalidRequest]' });
    expect(message.facts).toContainEqual({ label: 'Owner', value: `${rep?.name} (${rep?.id})` });
    expect(message.fix).toBe(
      `Re-activate ${rep?.name} (Salesforce user ${rep?.id}) in Salesforce, or take them out of routing.reps in the contract and move the lead to it (\`lead rebase-contract 42 --contract FILE\`); then run \`npx handoff-bridge lead retry 42\` (or \`lead retry --all --step assignLead\` for every lead stopped the same way).`,
    );
  });

  it('goes out on Slack, Teams and email with the fix and without accept/reject links', () => {
    for (const body of [JSON.stringify(slackBody(message)), JSON.stringify(teamsBody(message)), emailBody(message).text]) {
      expect(body).toContain('Re-activate');
      expect(body).not.toMatch(/Accept|Reject/);
    }
    expect(emailBody(message).subject).toBe('[Handoff blocked: a CRM refused a write] Handoff blocked at assignLead: Acme GmbH (contact 42)');
  });
});

describe('the contract names where blocked handoffs are reported', () => {
  it('accepts the presets, warns without a blocked channel and refuses one sent to the rep', () => {
    const findings = (alerts: typeof contract.handoff.alerts) => checkContract({ ...contract, handoff: { ...contract.handoff, alerts } }).filter((f) => f.path.startsWith('handoff.alerts'));
    expect(findings(contract.handoff.alerts)).toEqual([]);
    const withoutBlocked = contract.handoff.alerts.filter((a) => !a.kinds.includes('blocked'));
    const [warning, ...others] = findings(withoutBlocked);
    expect(others).toEqual([]);
    expect([warning?.severity, warning?.path]).toEqual(['warning', 'handoff.alerts']);
    expect(warning?.message).toContain('add a RevOps channel with kind "blocked"');
    const toRep = findings([...withoutBlocked, { channel: 'slack', target: 'rep', kinds: ['blocked'] }]);
    expect(toRep).toContainEqual(expect.objectContaining({ severity: 'error', path: `handoff.alerts.${withoutBlocked.length}.target` }));
  });
});

describe('the CRM answer a blocked handoff is filed under', () => {
  it('keeps the code and the fields, in characters a visibility query can quote', () => {
    expect(crmAnswerCode('salesforce.updateLead failed: INACTIVE_OWNER_OR_USER')).toBe('INACTIVE_OWNER_OR_USER');
    expect(crmAnswerCode('salesforce.updateLead failed: INVALID_CROSS_REFERENCE_KEY (OwnerId)')).toBe('INVALID_CROSS_REFERENCE_KEY.OwnerId');
    expect(crmAnswerCode('hubspot.updateContact failed: HTTP 400 VALIDATION_ERROR')).toBe('HTTP_400_VALIDATION_ERROR');
    expect(crmAnswerCode('no answer here')).toBeUndefined();
  });
});

describe("the reconciliation report's blocked and failed handoffs", () => {
  const health = handoffHealth({
    open: 9,
    stuck: 1,
    blocked: [
      { workflowId: 'handoff:1:a', step: 'updateLead', code: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST.Status' },
      { workflowId: 'handoff:1:b', step: 'assignLead', code: 'INACTIVE_OWNER_OR_USER' },
      { workflowId: 'handoff:1:c', step: 'assignLead', code: 'INACTIVE_OWNER_OR_USER' },
    ],
    failed: ['handoff:1:z', 'handoff:1:y'],
  });

  it('counts blocked handoffs by cause, the most frequent first, and lists the failed ones', () => {
    expect(health.blocked).toEqual({
      total: 3,
      byCause: [
        { step: 'assignLead', code: 'INACTIVE_OWNER_OR_USER', count: 2 },
        { step: 'updateLead', code: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST.Status', count: 1 },
      ],
    });
    expect(health.failed).toEqual({ total: 2, workflowIds: ['handoff:1:y', 'handoff:1:z'] });
  });

  it('renders them in Markdown and HTML', () => {
    const markdown = handoffHealthMarkdown(health, (header, rows) => [header.join(' | '), ...rows.map((r) => r.join(' | '))]).join('\n');
    expect(markdown).toContain('9 open handoffs; 1 awaiting acceptance past deadline; 3 blocked');
    expect(markdown).toContain('assignLead | INACTIVE_OWNER_OR_USER | 2');
    expect(markdown).toContain('Ended Failed: handoff:1:y, handoff:1:z.');
    const page = handoffHealthHtml(health);
    expect(page).toContain('data-blocked="3" data-failed="2"');
    expect(page).toContain('<tr data-step="assignLead" data-code="INACTIVE_OWNER_OR_USER" data-count="2">');
  });
});
